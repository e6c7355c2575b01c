using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Downloads;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// The operator API's "update these devices" as a one-wave rollout (<see cref="OneOffRollouts"/>: one engine for
/// every update), started through the rollout region, then each device's answer read by sending the device actor the
/// very StartUpdate the rollout sends (same rollout-derived update id, so idempotent: "already started" is an
/// acceptance and no second saga starts). <paramref name="isProvisioned"/> tells devices that have credentials from
/// ids nobody registered; those are neither in the rollout nor asked.
/// </summary>
internal sealed class ShardedUpdateCommands(
    Func<IActorRef> region,
    DownloadUrls urls,
    UpdatePolicy policy,
    Func<string, bool> isProvisioned,
    Func<IActorRef> rollouts,
    TimeSpan? askTimeout = null)
    : IUpdateCommands
{
    private readonly TimeSpan _askTimeout = askTimeout ?? TimeSpan.FromSeconds(10);

    public string? DescribePolicyProblem(UpdatePolicyOverrides overrides) =>
        UpdatePolicies.With(policy, overrides).DescribeProblem();

    public async Task<IReadOnlyList<UpdateDecision>> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken)
    {
        var sagaPolicy = order.Policy is { } overrides ? UpdatePolicies.With(policy, overrides) : policy;
        // The saga replaces the URL with a fresh grant for its device at every download command (DeviceActor).
        var target = UpdateTargets.For(order.Artifact, urls.BaseUrl);
        var known = order.DeviceIds.Where(isProvisioned).ToList();
        var rolloutId = OneOffRollouts.NewId();
        string? notStarted = null;
        if (known.Count > 0)
        {
            var start = OneOffRollouts.Start(rolloutId, order.Artifact.Metadata.Version.ToString(), known, target,
                sagaPolicy);
            try
            {
                var reply = await rollouts().Ask<RolloutCommandReply>(start, _askTimeout, cancellationToken)
                    .ConfigureAwait(false);
                if (!reply.Accepted) notStarted = $"rollout {rolloutId} refused: {reply.Reason}";
            }
            catch (AskTimeoutException)
            {
                // Its start may be journaled: the devices' own answers below say what happened to each.
            }
        }
        var decisions = await Task.WhenAll(order.DeviceIds.Select(async deviceId =>
        {
            if (!isProvisioned(deviceId))
                return UpdateDecision.UnknownDevice(deviceId);
            if (notStarted is not null) return UpdateDecision.Refuse(deviceId, notStarted);
            var updateId = RolloutIds.UpdateIdFor(rolloutId, deviceId);
            try
            {
                var start = new StartUpdate(deviceId, updateId, target, sagaPolicy, rolloutId);
                var reply = await region().Ask<SagaRequestReply>(start, _askTimeout, cancellationToken)
                    .ConfigureAwait(false);
                return reply.Accepted ? UpdateDecision.Accept(deviceId) : UpdateDecision.Refuse(deviceId, reply.Reason ?? "refused");
            }
            catch (AskTimeoutException)
            {
                // The StartUpdate may have been persisted and only its answer be late: not a refusal.
                return UpdateDecision.Pending(deviceId,
                    $"the device actor did not answer within {_askTimeout.TotalSeconds:0} s; "
                    + $"update {updateId} may have started: "
                    + $"check GET /api/devices/{deviceId} (its saga's updateId)");
            }
        })).ConfigureAwait(false);
        return decisions;
    }
}
