using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Adapters;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Orchestration.Rollouts.Sharding;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Fleet;
using FleetOrchestrator.Simulation.Populations;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// `fleet simulate --population` and `--rollout`: each device's facts from the population, and a run that updates
/// the fleet through one staged rollout (the same engine `fleet serve` runs) instead of one StartUpdate per device.
/// </summary>
public sealed partial class FleetRunner
{
    private const string RolloutIdPrefix = "sim-";
    private static readonly TimeSpan RolloutPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ReadModelWait = TimeSpan.FromMinutes(2);

    private IReadOnlyDictionary<string, DeviceFacts>? _facts;

    private string? RolloutId => options.Rollout is null ? null : RolloutIdPrefix + options.Seed;

    /// <summary>
    /// Each device's own unit: the population's silicon and ROM, and in a rollout run the crash-loop fault as a unit
    /// that crashes on the target release (a rollout ships one release to every device; the fault decides on which
    /// units it crashes, so crash-loop=1.0 is a release that crashes on every device).
    /// </summary>
    private SimulatedFleetOptions WithDeviceFacts(SimulatedFleetOptions fleetOptions,
        IReadOnlyDictionary<string, DeviceFaults> faults)
    {
        if (options.Population is null && options.Rollout is null) return fleetOptions;
        _facts = PopulationAssignment.Assign(options.Population ?? Population.Uniform,
            SimulatedFleet.DeviceIds(fleetOptions), fleetOptions.Seed);
        var facts = _facts;
        var crashing = options.Rollout is not null;
        return fleetOptions with
        {
            Customize = o => o with
            {
                Mcu = facts[o.DeviceId].Mcu(L072Configuration.Default),
                InitialVersion = facts[o.DeviceId].StartingVersion,
                // A unit already running the release cannot carry a fault that only shows when it gets it.
                Agent = crashing && faults[o.DeviceId].CrashLoop && facts[o.DeviceId].StartingVersion != TargetVersion
                    ? FleetOrchestrator.L072.Agent.UpdateAgentOptions.Default with { CrashesOnVersion = TargetVersion }
                    : null,
            },
        };
    }

    /// <summary>The version a device starts on: the population's share, or 1.0.0.</summary>
    private SemanticVersion InitialVersionOf(string deviceId) =>
        _facts is not null && _facts.TryGetValue(deviceId, out var f) && f.StartingVersion is { } v
            ? v
            : InitialVersion;

    private bool IsRolloutOutcome(SagaOutcome outcome) => RolloutId is { } id && outcome.RolloutId == id;

    private async Task<SimulationReport> RunRolloutAsync(OrchestratorHost host, SimulatedFleet fleet,
        IReadOnlyList<string> ids, IReadOnlyDictionary<string, DeviceFaults> faults, StoredArtifact target,
        Stopwatch wall, double onlineSeconds, long memoryPerDevice, CancellationToken cancellationToken)
    {
        var policy = ForThisRun(options.Rollout!);
        var rolloutId = RolloutId!;
        var store = host.Fleet;
        await store.SetTagsAsync(_facts!.Where(f => f.Value.Tags.Count > 0)
            .ToDictionary(f => f.Key, f => f.Value.Tags, StringComparer.Ordinal), cancellationToken)
            .ConfigureAwait(false);
        var rows = await RowsWithHardwareAsync(store, ids.Count, cancellationToken).ConfigureAwait(false);
        var tags = await store.TagsOfAsync(null, cancellationToken).ConfigureAwait(false);
        var candidates = rows.Select(r => new PlanCandidate(r,
            tags.TryGetValue(r.DeviceId, out var t) ? t : new Dictionary<string, string>())).ToList();
        var urls = host.Web.Services.GetRequiredService<DownloadUrls>();
        // The saga asks the download granter for each device's own URL; this one only fills the target.
        var updateTarget = UpdateTargets.For(target, urls.For(ids[0], target.Id));
        var plan = RolloutPlanner.Plan(policy, candidates, updateTarget, (int)options.Seed, PerDevice(), rolloutId);
        var sizes = string.Join(", ", plan.Waves.Select(w => $"{w.Name} {w.DeviceIds.Count}"));
        Say($"rollout '{policy.Name}': {plan.Waves.Count} wave(s) ({sizes}), " +
            $"{plan.Excluded.Count} excluded, ETA {plan.Eta}");

        var updateWall = Stopwatch.StartNew();
        var updatesBegan = DateTimeOffset.UtcNow;
        RolloutView? view = null;
        var devices = new Dictionary<string, RolloutDevice>(StringComparer.Ordinal);
        if (!options.DryRun)
        {
            var previous = UploadPrevious(host);
            var rollouts = host.Services.GetRequiredService<ActorRegistry>().Get<RolloutRegion>();
            var start = new StartRollout(rolloutId, policy, updateTarget, plan.Waves.Select(w => w.DeviceIds).ToList(),
                (int)options.Seed, new OperatorAction("fleet simulate", "simulated rollout"),
                UpdateTargets.For(previous, urls.For(ids[0], previous.Id)), _hostOptions!.UpdatePolicy, plan.TimeZones);
            var reply = await rollouts.Ask<RolloutCommandReply>(start, AskTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (!reply.Accepted) throw new InvalidOperationException($"the rollout was refused: {reply.Reason}");
            view = await WatchRolloutAsync(rolloutId, updateWall, cancellationToken).ConfigureAwait(false);
            await WaitForOutcomesAsync(view, cancellationToken).ConfigureAwait(false);
            foreach (var d in await DevicesOfAsync(RolloutRegionOf(_host!), rolloutId, cancellationToken)
                         .ConfigureAwait(false))
                devices[d.DeviceId] = d;
        }
        var updateSeconds = updateWall.Elapsed.TotalSeconds;
        await fleet.IdleAsync().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        var views = await ViewsAsync(_host!, ids, cancellationToken).ConfigureAwait(false);
        var report = SimulationReports.Build(options, ids, faults, _outcomes.All, views, fleet, updateSeconds,
            onlineSeconds, memoryPerDevice, InitialVersionOf, TargetVersion);
        report = options.DryRun
            ? report with
            {
                Rollout = RolloutReports.Planned(rolloutId, policy, plan),
                Outcomes = new Dictionary<string, int> { [RolloutReports.NotStarted] = ids.Count },
                Unfinished = 0,
            }
            : RolloutReports.Apply(report, rolloutId, policy, plan, view, devices, faults, fleet.Truth(),
                InitialVersionOf, updatesBegan);
        report = ReportSeries.Add(report, _outcomes.All.Values, updatesBegan);
        Say($"done in {wall.Elapsed.TotalSeconds:0.0}s wall: rollout {report.Rollout!.State} " +
            $"({report.Rollout.Verdict}); " +
            $"{string.Join(", ", report.Outcomes.Select(o => $"{o.Key} {o.Value}"))}");
        return report;
    }

    /// <summary>
    /// The policy's soaks are field durations (minutes to hours); the run compresses them like every other deadline,
    /// and --no-delays has no soak at all. The maintenance window is a wall-clock rule the speed-up cannot compress:
    /// left out, and said so, unless the run keeps it.
    /// </summary>
    private RolloutPolicy ForThisRun(RolloutPolicy policy)
    {
        if (policy.Window is { } window && !options.KeepWindow)
        {
            Say($"the policy's maintenance window {window.LocalStart:HH\\:mm}-{window.LocalEnd:HH\\:mm} is not applied "
                + "(the run is on the wall clock; --keep-window applies it, and devices outside it wait for it)");
            policy = policy with { Window = null };
        }
        GatePolicy Scaled(GatePolicy gate) => gate with
        {
            Soak = double.IsPositiveInfinity(options.Speedup)
                ? TimeSpan.Zero
                : TimeSpan.FromTicks((long)(gate.Soak.Ticks / options.Speedup)),
        };
        return policy with
        {
            Gate = Scaled(policy.Gate),
            Waves = policy.Waves.Select(w => w with { Gate = w.Gate is null ? null : Scaled(w.Gate) }).ToList(),
        };
    }

    /// <summary>One device's update on the run's link in field time (the plan's ETA is in field time too).</summary>
    private TimeSpan PerDevice()
    {
        var link = options.Link;
        var transfer = link.RequestTime(4096) * (96 / 4);
        return transfer + link.AttachDelay * 2 + TimeSpan.FromSeconds(10) + TimeSpan.FromMinutes(5);
    }

    /// <summary>
    /// The plan reads the read model, which follows the journal a little behind the feed: wait until it holds every
    /// device with its hardware facts, or the plan would call late rows never seen.
    /// </summary>
    private async Task<IReadOnlyList<FleetDeviceRow>> RowsWithHardwareAsync(FleetReadStore store, int devices,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var rows = (await store.QueryAsync(FleetFilter.All, cancellationToken).ConfigureAwait(false)).Devices;
            var ready = rows.Count(r => r.Hardware is not null && r.RunningVersion is not null);
            if (ready >= devices) return rows;
            if (deadline.Elapsed > ReadModelWait)
                throw new TimeoutException($"the read model holds {ready} of {devices} devices after {ReadModelWait}");
            await Task.Delay(RolloutPoll, cancellationToken).ConfigureAwait(false);
        }
    }

    private volatile bool _restarting;

    private static IActorRef RolloutRegionOf(OrchestratorHost host) =>
        host.Services.GetRequiredService<ActorRegistry>().Get<RolloutRegion>();

    /// <summary>
    /// Polls the rollout's view, prints wave transitions and live counts until the rollout ends. With the
    /// orchestrator-restart fault (<see cref="RestartOnFirstOutcomeAsync"/>), the view is asked of whichever
    /// orchestrator runs, and the end is read from the restarted one.
    /// </summary>
    private async Task<RolloutView?> WatchRolloutAsync(string rolloutId, Stopwatch wall,
        CancellationToken cancellationToken)
    {
        var phases = new Dictionary<int, WavePhase>();
        var lastProgress = TimeSpan.Zero;
        var restart = options.Faults.HasFlag(FaultKind.OrchestratorRestart)
            ? RestartOnFirstOutcomeAsync(cancellationToken)
            : Task.CompletedTask;
        RolloutView? view = null;
        while (wall.Elapsed < options.Timeout)
        {
            // While the fault restarts the orchestrator, wait for the new one rather than ask the one going away.
            if (_restarting) await restart.ConfigureAwait(false);
            var asked = _host!;
            try
            {
                view = await RolloutRegionOf(asked).Ask<RolloutView>(new GetRollout(rolloutId), AskTimeout,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (_restarting || !ReferenceEquals(asked, _host))
            {
                continue; // asked the orchestrator that the fault stopped: ask the new one
            }
            catch (AskTimeoutException)
            {
                // An overloaded orchestrator (100,000 devices, or a busy machine) answers late, not never: the run's
                // own timeout bounds the wait.
                Say($"[{wall.Elapsed.TotalSeconds,6:0.0}s] the rollout did not answer within " +
                    $"{AskTimeout.TotalSeconds:0} s; asking again");
                continue;
            }
            for (var i = 0; i < view.Waves.Count; i++)
            {
                var wave = view.Waves[i];
                var before = phases.GetValueOrDefault(i, WavePhase.NotStarted);
                if (before == wave.Phase) continue;
                phases[i] = wave.Phase;
                Say($"[{wall.Elapsed.TotalSeconds,6:0.0}s] wave {i + 1}/{view.Waves.Count} {wave.Name}: " +
                    $"{before} -> {wave.Phase} " +
                    $"({Counts(wave)}){(wave.HaltReason is { } why ? $": {why}" : "")}");
            }
            if (view.Status is RolloutStatus.Completed or RolloutStatus.Halted or RolloutStatus.Cancelled
                    or RolloutStatus.RolledBack
                && view.InFlight == 0)
            {
                if (!restart.IsCompleted)
                {
                    // The fault is due: the rollout must be seen ended by the restarted orchestrator too.
                    await restart.ConfigureAwait(false);
                    continue;
                }
                options.Live?.Report(LiveProgress(view, wall));
                var why = view.HaltReason is { } r ? $": {r}" : "";
                Say($"[{wall.Elapsed.TotalSeconds,6:0.0}s] rollout {view.Status}{why}");
                return view;
            }
            if (wall.Elapsed - lastProgress >= options.ProgressInterval)
            {
                lastProgress = wall.Elapsed;
                var current = view.CurrentWave >= 0 && view.CurrentWave < view.Waves.Count
                    ? view.Waves[view.CurrentWave]
                    : null;
                var counts = current is null ? "" : Counts(current);
                if (options.Live is { } live)
                {
                    live.Report(LiveProgress(view, wall));
                }
                else
                {
                    Say($"[{wall.Elapsed.TotalSeconds,6:0.0}s] {view.Status}, " +
                        $"wave {current?.Name ?? "-"}: {counts} | " +
                        $"in flight {view.InFlight} | {current?.GateState}");
                }
            }
            await Task.Delay(RolloutPoll, cancellationToken).ConfigureAwait(false);
        }
        Say($"timeout after {options.Timeout}: rollout still {view?.Status}");
        return view;
    }

    /// <summary>The orchestrator-restart fault of a rollout run: as soon as the first device concluded (its wave's
    /// other sagas still in flight), the whole orchestrator restarts; the rollout and its sagas resume from the
    /// journal.</summary>
    private async Task RestartOnFirstOutcomeAsync(CancellationToken cancellationToken)
    {
        await _firstDone.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        Say($"orchestrator-restart: stopping the orchestrator in the middle of the rollout " +
            $"({_outcomes.Count} device(s) concluded)");
        _restarting = true;
        try
        {
            await RestartOrchestratorAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _restarting = false;
        }
    }

    /// <summary>The rollout's own counts (the run's feed lags them), as the live display shows them.</summary>
    private SimulationProgress LiveProgress(RolloutView view, Stopwatch wall)
    {
        static bool Finished(string outcome) => outcome is not ("Running" or "NotStarted");
        var outcomes = view.Waves.SelectMany(w => w.Outcomes).Where(o => Finished(o.Key))
            .GroupBy(o => o.Key).ToDictionary(g => g.Key, g => g.Sum(o => o.Value));
        var done = outcomes.Values.Sum();
        var seconds = wall.Elapsed.TotalSeconds;
        return new SimulationProgress(seconds, options.Devices, done, outcomes, view.InFlight,
            done / Math.Max(seconds, 0.001), Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024),
            view.Status.ToString(),
            [.. view.Waves.Select(w => new SimulationWaveProgress(w.Name, w.Phase.ToString(), w.Devices,
                w.Outcomes.Where(o => Finished(o.Key)).Sum(o => o.Value), w.Outcomes, w.GateState))]);
    }

    private static string Counts(WaveView wave) => string.Join(", ", wave.Outcomes.Select(o => $"{o.Key} {o.Value}"));

    /// <summary>The run's feed lags the rollout's: wait (bounded) for each outcome the rollout counted.</summary>
    private async Task WaitForOutcomesAsync(RolloutView? view, CancellationToken cancellationToken)
    {
        if (view is null) return;
        var finished = view.Waves.Sum(w => w.Outcomes.Where(o => o.Key is not ("Running" or "NotStarted" or "Skipped"))
            .Sum(o => o.Value));
        var deadline = Stopwatch.StartNew();
        while (_outcomes.Count < finished && deadline.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(RolloutPoll, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<RolloutDevice>> DevicesOfAsync(IActorRef rollouts, string rolloutId,
        CancellationToken cancellationToken)
    {
        var all = new List<RolloutDevice>();
        while (true)
        {
            var page = await rollouts.Ask<RolloutDevicesPage>(
                    new GetRolloutDevices(rolloutId, null, all.Count, GetRolloutDevices.MaxTake), AskTimeout,
                    cancellationToken)
                .ConfigureAwait(false);
            all.AddRange(page.Devices);
            if (page.Devices.Count == 0 || all.Count >= page.Total) return all;
        }
    }

    /// <summary>The image devices start on, under a downgrade-allowing manifest: the fleet rollback's target.</summary>
    private static StoredArtifact UploadPrevious(OrchestratorHost host)
    {
        var uploader = host.Web.Services.GetRequiredService<ArtifactUploader>();
        var outcome = uploader.Upload(new ArtifactUpload("app-1.0.0-rollback.bin",
            FleetOrchestrator.L072.Images.SyntheticImage.Create(InitialVersion), InitialVersion, HardwareTarget,
            InitialVersion, DowngradeAllowed: true));
        return outcome is UploadOutcome.Stored stored
            ? stored.Artifact
            : throw new InvalidOperationException($"the simulation's previous image was refused: {outcome}");
    }
}
