using FleetOrchestrator.Protocol.Ports;
using FleetOrchestrator.Server.Downloads;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// The saga's download URLs from the HTTP server's grants. The server is found late (<paramref name="urls"/>): the
/// actor system, whose recovered sagas may already send, starts before the web host.
/// </summary>
internal sealed class ServerDownloadUrlGranter(Func<DownloadUrls?> urls) : IDownloadUrlGranter
{
    public Uri Grant(string deviceId, string artifactId) =>
        (urls() ?? throw new InvalidOperationException("the HTTP server is not started: no download grants yet"))
        .For(deviceId, artifactId);
}
