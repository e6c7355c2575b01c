using System.Net;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Server.Downloads;

/// <summary>
/// Builds the absolute, granted download URL a StartDownload command carries: the configured public base URL
/// (or, when none is configured, the first address Kestrel bound) plus a fresh grant for the device.
/// </summary>
public sealed class DownloadUrls(DownloadGrants grants, FleetServerOptions options, IServer server)
{
    /// <summary>A URL that lets <paramref name="deviceId"/> fetch <paramref name="artifactId"/> for the grant
    /// lifetime.</summary>
    public Uri For(string deviceId, string artifactId, TimeSpan? lifetime = null) =>
        grants.Issue(deviceId, artifactId, lifetime).ToUrl(BaseUrl);

    /// <summary>
    /// <see cref="FleetServerOptions.PublicBaseUrl"/>, else the first address Kestrel bound, else (before the bind)
    /// the first of <see cref="FleetServerOptions.Urls"/> when it already names where the server will be. Sagas
    /// recover while the server is still starting: without the last, their first download command of a start could
    /// not get a fresh URL at all.
    /// </summary>
    public Uri BaseUrl =>
        options.PublicBaseUrl
        ?? (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } bound
            ? new Uri(bound)
            : ConfiguredAddress(options.Urls)
              ?? throw new InvalidOperationException(
                  "no PublicBaseUrl is configured, the server has not bound an address yet and the first of " +
                  $"Urls ('{options.Urls}') does not name a concrete host and port"));

    // Only a URL whose bound address is known in advance: port 0 (the OS picks), wildcard hosts (every interface,
    // so no one address devices can use) and Unix sockets name none.
    private static Uri? ConfiguredAddress(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault();
        if (first is null) return null;
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(first);
        }
        catch (FormatException)
        {
            return null;
        }
        if (address.IsUnixPipe || address.IsNamedPipe || address.Port <= 0) return null;
        var host = address.Host;
        if (host is "*" or "+" || host.Length == 0) return null;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip)
            && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))) return null;
        return Uri.TryCreate($"{address.Scheme}://{host}:{address.Port}/", UriKind.Absolute, out var uri) ? uri : null;
    }
}
