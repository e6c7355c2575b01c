using System.Security.Claims;
using System.Text.Encodings.Web;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FleetOrchestrator.Server.Api;

/// <summary>Operators send <c>Authorization: Bearer &lt;api key&gt;</c>; the key is checked against <see cref="OperatorApiKey"/>.</summary>
internal sealed class OperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SignInFailures failures,
    OperatorApiKey apiKey)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "FleetOperatorBearer";
    private const string Realm = "fleet-operators";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.NoResult());
        var key = header[7..].Trim();
        if (key.Length == 0 || !apiKey.Matches(key))
            return Task.FromResult(AuthenticateResult.Fail("the bearer API key is not the operator key"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.Role, "operator")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (result.Failure is not null)
            await failures.OnFailureAsync(Context, "operator", result.Failure.Message).ConfigureAwait(false);
        // RFC 6750 section 3: name the error only when a token was presented.
        Response.Headers[HeaderNames.WWWAuthenticate] = result.Failure is null
            ? $"Bearer realm=\"{Realm}\""
            : $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"wrong API key\"";
        await FleetProblems.Write(Context, StatusCodes.Status401Unauthorized, "Operator authentication required",
            result.Failure?.Message ?? "send 'Authorization: Bearer <operator API key>'").ConfigureAwait(false);
    }
}
