using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FleetOrchestrator.Server.Downloads;

/// <summary>
/// HTTP Basic for devices: user name = device id, password = the device secret, checked by
/// <see cref="IDeviceCredentialVerifier"/>. The authenticated device id becomes the principal's name.
/// </summary>
internal sealed class DeviceBasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SignInFailures failures,
    IDeviceCredentialVerifier verifier)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "FleetDeviceBasic";
    private const string Realm = "fleet-devices";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();

        if (!TryDecode(header.AsSpan(6).Trim(), out var deviceId, out var secret))
            return AuthenticateResult.Fail("the Basic credentials are not base64 of 'deviceId:secret'");
        if (!await verifier.VerifyAsync(deviceId, secret, Context.RequestAborted).ConfigureAwait(false))
            return AuthenticateResult.Fail($"unknown device '{deviceId}' or wrong device secret");

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, deviceId)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (result.Failure is not null)
            await failures.OnFailureAsync(Context, "device", result.Failure.Message, ClaimedDevice())
                .ConfigureAwait(false);
        Response.Headers[HeaderNames.WWWAuthenticate] = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        await FleetProblems.Write(Context, StatusCodes.Status401Unauthorized, "Device authentication required",
            result.Failure?.Message ?? "send HTTP Basic credentials: user name = device id, password = device secret").ConfigureAwait(false);
    }

    /// <summary>The device id a refused request claimed, for the audit trail (never the secret).</summary>
    private string? ClaimedDevice()
    {
        string? header = Request.Headers.Authorization;
        return header is { Length: > 6 } && TryDecode(header.AsSpan(6).Trim(), out var deviceId, out _)
            ? "device " + (deviceId.Length > 64 ? deviceId[..64] : deviceId)
            : null;
    }

    private static bool TryDecode(ReadOnlySpan<char> base64, out string deviceId, out string secret)
    {
        deviceId = secret = "";
        Span<byte> buffer = stackalloc byte[512];
        if (base64.Length > 680 || !Convert.TryFromBase64Chars(base64, buffer, out int written)) return false;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(buffer[..written]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return false;
        deviceId = text[..colon];
        secret = text[(colon + 1)..];
        return true;
    }
}
