using System.Diagnostics.Metrics;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Telemetry;

/// <summary>
/// Gauges over the read model's SQL summary (meter <see cref="MeterName"/>): devices by saga phase, by last outcome
/// and by running version, rollouts by status, waves of unfinished rollouts by phase. Read when scraped, never per
/// event: one <see cref="ReadModelReadings"/> per <see cref="TelemetryOptions.GaugeMaxAge"/>, shared by every gauge
/// of the scrape. The meter comes from the host's <see cref="IMeterFactory"/>, so it ends with the host.
/// </summary>
public sealed class ReadModelGauges
{
    public const string MeterName = "FleetOrchestrator.ReadModel";

    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private readonly FleetReadStore _store;
    private readonly Func<string, CancellationToken, Task<IReadOnlyList<WavePhase>>> _wavesOf;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly Lock _gate = new();
    private ReadModelReadings? _last;
    private DateTimeOffset _readAt;

    public ReadModelGauges(IMeterFactory meters, FleetReadStore store,
        Func<string, CancellationToken, Task<IReadOnlyList<WavePhase>>> wavesOf, TimeProvider time,
        TelemetryOptions options, ILogger log)
    {
        _store = store;
        _wavesOf = wavesOf;
        _log = log;
        _time = time;
        _maxAge = options.GaugeMaxAge;
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("fleet_sagas", () => ByPhase(),
            description: "Devices by the phase of their current or last saga (Completed: finished; None: never)");
        meter.CreateObservableGauge("fleet_devices_last_outcome", () => ByOutcome(),
            description: "Devices by the outcome of their last finished saga");
        meter.CreateObservableGauge("fleet_devices_running_version", () => ByVersion(),
            description: "Devices by the firmware version they last reported running");
        meter.CreateObservableGauge("fleet_rollouts", () => ByStatus(),
            description: "Rollouts by status");
        meter.CreateObservableGauge("fleet_rollout_waves", () => WavesByPhase(),
            description: "Waves of the unfinished rollouts by phase");
    }

    private IEnumerable<Measurement<int>> ByPhase()
    {
        var byPhase = Read()?.Fleet.ByPhase;
        if (byPhase is null) yield break;
        foreach (var phase in Enum.GetValues<SagaPhase>())
            yield return new Measurement<int>(byPhase.GetValueOrDefault(phase), Tag("phase", phase.ToString()));
    }

    private IEnumerable<Measurement<int>> ByOutcome()
    {
        var byOutcome = Read()?.Fleet.ByOutcome;
        if (byOutcome is null) yield break;
        foreach (var outcome in Enum.GetValues<UpdateOutcome>())
            yield return new Measurement<int>(byOutcome.GetValueOrDefault(outcome), Tag("outcome", outcome.ToString()));
    }

    private IEnumerable<Measurement<int>> ByVersion()
    {
        var byVersion = Read()?.Fleet.ByRunningVersion;
        if (byVersion is null) yield break;
        foreach (var (version, count) in byVersion)
            yield return new Measurement<int>(count, Tag("version", version));
    }

    private IEnumerable<Measurement<int>> ByStatus()
    {
        var byStatus = Read()?.RolloutsByStatus;
        if (byStatus is null) yield break;
        foreach (var status in Enum.GetValues<RolloutStatus>().Where(s => s != RolloutStatus.None))
            yield return new Measurement<int>(byStatus.GetValueOrDefault(status), Tag("status", status.ToString()));
    }

    private IEnumerable<Measurement<int>> WavesByPhase()
    {
        var byPhase = Read()?.WavesByPhase;
        if (byPhase is null) yield break;
        foreach (var phase in Enum.GetValues<WavePhase>())
            yield return new Measurement<int>(byPhase.GetValueOrDefault(phase), Tag("phase", phase.ToString()));
    }

    private static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);

    /// <summary>
    /// The readings, at most <see cref="TelemetryOptions.GaugeMaxAge"/> old; null when the database does not answer
    /// (the gauges are then absent from the scrape rather than wrong). Synchronous: a gauge callback is.
    /// </summary>
    private ReadModelReadings? Read()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_last is not null && now - _readAt < _maxAge) return _last;
            try
            {
                using var timeout = new CancellationTokenSource(QueryTimeout);
                _last = Task.Run(() => ReadModelReadings.ReadAsync(_store, _wavesOf, timeout.Token))
                    .GetAwaiter().GetResult();
                _readAt = now;
                return _last;
            }
            catch (Exception e)
            {
                _log.LogWarning(e, "The fleet gauges could not read the read model; they are left out of this scrape");
                _last = null;
                return null;
            }
        }
    }
}
