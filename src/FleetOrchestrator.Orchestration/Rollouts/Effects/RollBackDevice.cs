using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Orchestration.Rollouts.Effects;

/// <summary>
/// Return an updated device to its previous image: a new saga (<see cref="RolloutEffect.UpdateId"/> is the rollback
/// id) towards <see cref="Previous"/>, a target whose manifest allows the downgrade. How the saga does it (swap back to
/// the intact other bank, or download) is the saga's business.
/// </summary>
public sealed record RollBackDevice(string DeviceId, string UpdateId, UpdateTarget Previous)
    : RolloutEffect(DeviceId, UpdateId);
