namespace FleetOrchestrator.Protocol.Ports;

/// <summary>
/// Mints the download URL one <c>download</c> command carries (PROTOCOL.md §5): a grant for one device and one
/// artifact with a limited lifetime. The saga asks for a fresh one every time it sends a download (first, re-sent,
/// after a recovery), because a URL minted when the update was requested dies with its grant while the saga waits.
/// </summary>
public interface IDownloadUrlGranter
{
    /// <summary>A URL that lets <paramref name="deviceId"/> fetch <paramref name="artifactId"/> from now on.</summary>
    Uri Grant(string deviceId, string artifactId);
}
