using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Downloads;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// The operator API's "update these devices" as one StartUpdate per provisioned device, each answered by its actor.
/// <paramref name="isProvisioned"/> tells devices that have credentials from ids nobody registered.
/// </summary>
internal sealed class ShardedUpdateCommands(
    Func<IActorRef> region,
    DownloadUrls urls,
    UpdatePolicy policy,
    Func<string, bool> isProvisioned,
    TimeSpan? askTimeout = null)
    : IUpdateCommands
{
    private readonly TimeSpan _askTimeout = askTimeout ?? TimeSpan.FromSeconds(10);

    public string? DescribePolicyProblem(UpdatePolicyOverrides overrides) =>
        UpdatePolicies.With(policy, overrides).DescribeProblem();

    public async Task<IReadOnlyList<UpdateDecision>> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken)
    {
        // One id per order: re-sending the same order to a device is idempotent, a new order is a new saga.
        var updateId = $"upd-{order.Artifact.Id[..12]}-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        var sagaPolicy = order.Policy is { } overrides ? UpdatePolicies.With(policy, overrides) : policy;
        var decisions = await Task.WhenAll(order.DeviceIds.Select(async deviceId =>
        {
            if (!isProvisioned(deviceId))
                return UpdateDecision.UnknownDevice(deviceId);
            var target = UpdateTargets.For(order.Artifact, urls.For(deviceId, order.Artifact.Id));
            try
            {
                var start = new StartUpdate(deviceId, updateId, target, sagaPolicy);
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
