using System.Diagnostics.Metrics;

namespace FleetOrchestrator.Server.Telemetry;

/// <summary>The HTTP side's instruments (meter <see cref="MeterName"/>): image bytes served to devices.</summary>
public static class ServerMetrics
{
    public const string MeterName = "FleetOrchestrator.Server";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> DownloadBytes = Meter.CreateCounter<long>(
        "fleet_download_bytes", description: "Image bytes sent to devices (whole images and ranges)");

    private static readonly Counter<long> Downloads = Meter.CreateCounter<long>(
        "fleet_downloads", description: "Image downloads answered with bytes (200 or 206)");

    internal static void ImageServed(long bytes)
    {
        Downloads.Add(1);
        DownloadBytes.Add(bytes);
    }
}
