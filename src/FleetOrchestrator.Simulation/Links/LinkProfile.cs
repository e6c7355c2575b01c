namespace FleetOrchestrator.Simulation.Links;

/// <summary>
/// How a device's radio link behaves, in SIMULATED time (turned into real waits by <see cref="TimeCompression"/>).
/// Figures come from reference/anchors.md part 2 §4: a 96 KB image in 4 KB requests takes 8–20 s on LTE-M,
/// 1.5–5 min on NB-IoT and about 3–6 min in poor coverage.
/// </summary>
/// <param name="Name">Preset name as the CLI spells it.</param>
/// <param name="OneWayLatency">Delay of every message in either direction (an HTTP request costs two).</param>
/// <param name="DownloadBytesPerSecond">Application goodput of an HTTP download; 0 means unlimited.</param>
/// <param name="DropProbability">
/// Chance that one transfer is lost: a download chunk (the device retries from the same offset) or the packet of an
/// MQTT publish of the device (sent again after <see cref="RetransmissionTimeout"/>: TCP and the QoS 1 session deliver
/// it late, never not at all).
/// </param>
/// <param name="PagingCycle">
/// DRX/eDRX paging cycle: a command waits for the device's next paging slot, on average half a cycle.
/// </param>
/// <param name="AttachDelay">Time from a reset until the modem has attached and the MQTT connection can be opened.</param>
public sealed record LinkProfile(
    string Name,
    TimeSpan OneWayLatency,
    double DownloadBytesPerSecond,
    double DropProbability,
    TimeSpan PagingCycle,
    TimeSpan AttachDelay)
{
    /// <summary>How long a lost uplink packet waits before it is sent again (RFC 6298's minimum RTO; doubles per loss).</summary>
    public TimeSpan RetransmissionTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>LTE-M Cat-M1: about 150 kbps goodput, 0.3 s round trip, 1.28 s paging, 2 s attach.</summary>
    public static LinkProfile LteM { get; } = new("lte-m", TimeSpan.FromMilliseconds(150), 150_000 / 8.0, 0.002,
        TimeSpan.FromSeconds(1.28), TimeSpan.FromSeconds(2));

    /// <summary>NB-IoT: about 20 kbps effective, 3 s round trip, 10.24 s paging, 10 s attach.</summary>
    public static LinkProfile NbIot { get; } = new("nb-iot", TimeSpan.FromSeconds(1.5), 20_000 / 8.0, 0.01,
        TimeSpan.FromSeconds(10.24), TimeSpan.FromSeconds(10));

    /// <summary>NB-IoT at the cell edge: 5 kbps, 6 s round trip, 5 % of transfers lost, 30 s attach.</summary>
    public static LinkProfile PoorCoverage { get; } = new("poor-coverage", TimeSpan.FromSeconds(3), 5_000 / 8.0, 0.05,
        TimeSpan.FromSeconds(10.24), TimeSpan.FromSeconds(30));

    /// <summary>No latency, no limit, no loss: for tests and for measuring the orchestrator alone.</summary>
    public static LinkProfile Instant { get; } = new("instant", TimeSpan.Zero, 0, 0, TimeSpan.Zero, TimeSpan.Zero);

    public static IReadOnlyList<LinkProfile> Presets { get; } = [LteM, NbIot, PoorCoverage, Instant];

    /// <summary>The preset called <paramref name="name"/>; throws with the list of known names otherwise.</summary>
    public static LinkProfile Preset(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException(
            $"unknown link profile '{name}' (known: {string.Join(", ", Presets.Select(p => p.Name))})", nameof(name));

    /// <summary>Simulated time one HTTP request for <paramref name="bytes"/> bytes takes: a round trip plus transfer time.</summary>
    public TimeSpan RequestTime(int bytes) =>
        OneWayLatency * 2 + (DownloadBytesPerSecond > 0 ? TimeSpan.FromSeconds(bytes / DownloadBytesPerSecond) : TimeSpan.Zero);
}
