using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Populations;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>One `fleet simulate` run.</summary>
public sealed record SimulationOptions
{
    public int Devices { get; init; } = 100;
    public long Seed { get; init; } = 1;
    public FaultPlan Faults { get; init; } = FaultPlan.None;
    /// <summary>Null: the embedded broker. Otherwise an external broker (see <see cref="BrokerUrl"/>).</summary>
    public BrokerUrl? Broker { get; init; }
    /// <summary>Null: a fresh SQLite file in the run directory. Otherwise <see cref="StoreUrl"/>.</summary>
    public StoreUrl? Store { get; init; }
    public string? ReportPath { get; init; }
    public LinkProfile Link { get; init; } = LinkProfile.LteM;
    /// <summary>In-process pipes (default) or loopback TCP between the devices and the orchestrator.</summary>
    public DeviceLink DeviceLink { get; init; } = DeviceLink.InProcess;
    /// <summary>Simulated time runs this many times faster than real time; infinity = no delays at all.</summary>
    public double Speedup { get; init; } = 60;
    /// <summary>Bound on devices whose saga is running at once.</summary>
    public int MaxInFlight { get; init; } = 1000;
    /// <summary>Give up on devices still unfinished after this long (wall time); they count as unfinished in the report.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Where the run keeps its database, artifacts and keys.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(".fleet", "simulate");
    /// <summary>Progress lines go here (stderr in the CLI); null = quiet.</summary>
    public TextWriter? Progress { get; init; }
    /// <summary>
    /// Set: the periodic progress line goes here as data instead of to <see cref="Progress"/> (a live display);
    /// the other lines (start, wave transitions, the end) still go to <see cref="Progress"/>.
    /// </summary>
    public IProgress<SimulationProgress>? Live { get; init; }
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>What the fleet is made of (hardware, tags); null: every device the default unit, no tags.</summary>
    public Population? Population { get; init; }
    /// <summary>Null: one StartUpdate per device. Otherwise the fleet is updated by this staged rollout.</summary>
    public RolloutPolicy? Rollout { get; init; }
    /// <summary>With <see cref="Rollout"/>: only the plan (waves, exclusions, ETA) goes into the report.</summary>
    public bool DryRun { get; init; }
    /// <summary>
    /// With <see cref="Rollout"/>: apply the policy's maintenance window (on the wall clock, in each device's time
    /// zone: devices outside it wait for it). Off by default, since a run lasts minutes and the window is hours away.
    /// </summary>
    public bool KeepWindow { get; init; }
    /// <summary>
    /// Set: a device idle this long (wall time) goes to sleep, offline and disconnected, and is paged when the
    /// orchestrator sends it a command (<see cref="Devices.DevicePaging"/>). Null: every device stays connected.
    /// </summary>
    public TimeSpan? SleepWhenIdle { get; init; }
    /// <summary>
    /// After the run, restart the orchestrator on the same database and time the recovery of every device's saga
    /// from the journal (<see cref="RecoveryReport"/>).
    /// </summary>
    public bool MeasureRecovery { get; init; }
}
