using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FleetOrchestrator.Server.Downloads;

/// <summary>
/// Builds the absolute, granted download URL a StartDownload command carries: the configured public base URL
/// (or, when none is configured, the first address Kestrel bound) plus a fresh grant for the device.
/// </summary>
public sealed class DownloadUrls(DownloadGrants grants, FleetServerOptions options, IServer server)
{
    /// <summary>A URL that lets <paramref name="deviceId"/> fetch <paramref name="artifactId"/> for the grant lifetime. Call after the server started.</summary>
    public Uri For(string deviceId, string artifactId, TimeSpan? lifetime = null) =>
        grants.Issue(deviceId, artifactId, lifetime).ToUrl(BaseUrl);

    public Uri BaseUrl =>
        options.PublicBaseUrl
        ?? (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } bound
            ? new Uri(bound)
            : throw new InvalidOperationException("no PublicBaseUrl is configured and the server has not bound an address yet"));
}
