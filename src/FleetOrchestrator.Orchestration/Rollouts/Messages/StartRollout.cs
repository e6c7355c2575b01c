using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

/// <summary>
/// Starts the rollout with its planned waves (from <see cref="Rollouts.Planning.WavePlanner"/> and <see cref="Seed"/>).
/// <see cref="RollbackTarget"/>: the previous image under a downgrade-allowing manifest, for fleet rollback (null:
/// rollback is refused, and a gate's rollback halts instead). <see cref="SagaPolicy"/>: the device sagas' timings
/// (download-only policies force ActivateAutomatically off). <see cref="TimeZones"/>: the devices' time zones, in
/// which the policy's maintenance window is read (a device without one: UTC). Idempotent: the same rollout id answers
/// "already started".
/// </summary>
public sealed record StartRollout(
    string RolloutId,
    RolloutPolicy Policy,
    UpdateTarget Target,
    IReadOnlyList<IReadOnlyList<string>> Waves,
    int Seed,
    OperatorAction By,
    UpdateTarget? RollbackTarget = null,
    UpdatePolicy? SagaPolicy = null,
    IReadOnlyDictionary<string, string>? TimeZones = null) : IWithRolloutId, IRolloutMessage;
