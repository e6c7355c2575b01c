using System.Globalization;

namespace FleetOrchestrator.Server.Downloads;

/// <summary>
/// Permission for one device to fetch one artifact until <see cref="ExpiresAt"/>. It travels in the download URL's
/// query (<c>?device=…&amp;exp=…&amp;sig=…</c>), so a URL leaked from one device is useless to another.
/// </summary>
public sealed record DownloadGrant(string DeviceId, string ArtifactId, DateTimeOffset ExpiresAt, string Signature)
{
    /// <summary>The path and query a device requests, relative to the server's public base URL.</summary>
    public string RelativeUrl =>
        string.Create(CultureInfo.InvariantCulture,
            $"artifacts/{ArtifactId}/image.bin?device={Uri.EscapeDataString(DeviceId)}&exp={ExpiresAt.ToUnixTimeSeconds()}&sig={Signature}");

    /// <summary>Absolute URL under <paramref name="publicBaseUrl"/> (a path prefix on it is kept).</summary>
    public Uri ToUrl(Uri publicBaseUrl)
    {
        var root = publicBaseUrl.AbsoluteUri.EndsWith('/') ? publicBaseUrl : new Uri(publicBaseUrl.AbsoluteUri + "/");
        return new Uri(root, RelativeUrl);
    }
}
