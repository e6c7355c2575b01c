using System.Security.Claims;
using System.Text.Encodings.Web;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Operators send <c>Authorization: Bearer &lt;api key&gt;</c>; the key is checked by <see cref="ApiKeyVerifier"/> and
/// signs in as its name, role and id (<see cref="OperatorClaims"/>).
/// </summary>
internal sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SignInFailures failures,
    ApiKeyVerifier keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "FleetOperatorBearer";
    private const string Realm = "fleet-operators";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var presented = header[7..].Trim();
        if (presented.Length == 0) return AuthenticateResult.Fail("the bearer API key is empty");
        var (key, refusal) = await keys.VerifyAsync(presented, Context.RequestAborted).ConfigureAwait(false);
        if (key is null) return AuthenticateResult.Fail(refusal!);
        var principal = new ClaimsPrincipal(OperatorClaims.Identity(key, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (result.Failure is not null)
            await failures.OnFailureAsync(Context, "operator", result.Failure.Message, ClaimedKey())
                .ConfigureAwait(false);
        // RFC 6750 section 3: name the error only when a token was presented.
        Response.Headers[HeaderNames.WWWAuthenticate] = result.Failure is null
            ? $"Bearer realm=\"{Realm}\""
            : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"wrong API key\"";
        await FleetProblems.Write(Context, StatusCodes.Status401Unauthorized, "Operator authentication required",
            result.Failure?.Message ?? "send 'Authorization: Bearer <operator API key>'").ConfigureAwait(false);
    }

    /// <summary>Who a refused key claimed to be, for the audit trail: its public id (never the secret).</summary>
    private string? ClaimedKey()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || header.Length <= 7) return null;
        return ApiKeySecrets.ClaimedId(header[7..].Trim()) is { Length: > 0 } id ? "key " + id : null;
    }
}
