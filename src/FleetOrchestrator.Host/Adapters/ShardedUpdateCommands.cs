using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Downloads;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>The operator API's "update these devices" as one StartUpdate per device, each answered by its actor.</summary>
internal sealed class ShardedUpdateCommands(Func<IActorRef> region, DownloadUrls urls, UpdatePolicy policy) : IUpdateCommands
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public async Task<IReadOnlyList<UpdateDecision>> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken)
    {
        // One id per order: re-sending the same order to a device is idempotent, a new order is a new saga.
        var updateId = $"upd-{order.Artifact.Id[..12]}-{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
        var decisions = await Task.WhenAll(order.DeviceIds.Select(async deviceId =>
        {
            var target = UpdateTargets.For(order.Artifact, urls.For(deviceId, order.Artifact.Id));
            try
            {
                var reply = await region().Ask<SagaRequestReply>(new StartUpdate(deviceId, updateId, target, policy), AskTimeout, cancellationToken)
                    .ConfigureAwait(false);
                return reply.Accepted ? UpdateDecision.Accept(deviceId) : UpdateDecision.Refuse(deviceId, reply.Reason ?? "refused");
            }
            catch (AskTimeoutException)
            {
                return UpdateDecision.Refuse(deviceId, $"the device actor did not answer within {AskTimeout.TotalSeconds:0} s");
            }
        })).ConfigureAwait(false);
        return decisions;
    }
}
