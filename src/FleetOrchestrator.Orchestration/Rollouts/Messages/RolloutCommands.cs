using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Rollouts.Messages;

// Operator commands, each answered with a RolloutCommandReply. Every accepted one is journaled with who, when and why.

/// <summary>
/// Starts the rollout with its planned waves (from <see cref="Rollouts.Planning.WavePlanner"/> and <see cref="Seed"/>).
/// <see cref="RollbackTarget"/>: the previous image under a downgrade-allowing manifest, for fleet rollback (null:
/// rollback is refused, and a gate's rollback halts instead). <see cref="SagaPolicy"/>: the device sagas' timings
/// (download-only policies force ActivateAutomatically off). Idempotent: the same rollout id answers "already started".
/// </summary>
public sealed record StartRollout(
    string RolloutId,
    RolloutPolicy Policy,
    UpdateTarget Target,
    IReadOnlyList<IReadOnlyList<string>> Waves,
    int Seed,
    OperatorAction By,
    UpdateTarget? RollbackTarget = null,
    UpdatePolicy? SagaPolicy = null) : IWithRolloutId, IRolloutMessage;

public sealed record PauseRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;

public sealed record ResumeRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;

/// <summary>
/// Approves the wave awaiting approval, or overrides a gate's halt (onHalt pause) so the next wave starts.
/// <see cref="Wave"/>, when given, must be the current wave (an approval meant for an earlier screen is refused).
/// </summary>
public sealed record ApproveWave(string RolloutId, OperatorAction By, int? Wave = null)
    : IWithRolloutId, IRolloutMessage;

public sealed record CancelRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;

/// <summary>Returns every device this rollout updated to its previous image.</summary>
public sealed record RollBackRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;

/// <summary>Download-only: authorize swaps, wave by wave under the gates.</summary>
public sealed record ActivateRollout(string RolloutId, OperatorAction By) : IWithRolloutId, IRolloutMessage;

/// <summary>Devices that match the target after the start (provisioned later, or now matching).</summary>
public sealed record DevicesJoined(string RolloutId, IReadOnlyList<string> DeviceIds) : IWithRolloutId, IRolloutMessage;

/// <summary>Answer to every rollout command, and the acknowledgement of <see cref="SagaConcluded"/> and
/// <see cref="DeviceReverted"/>.</summary>
public sealed record RolloutCommandReply(string RolloutId, bool Accepted, string? Reason, RolloutStatus Status)
    : IRolloutMessage;
