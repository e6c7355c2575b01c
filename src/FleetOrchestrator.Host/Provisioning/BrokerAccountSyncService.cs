using FleetOrchestrator.Mqtt.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// At start, brings the broker's device accounts in line with the orchestrator's credentials as far as that is
/// possible (<see cref="BrokerAccountReconciliation"/>): deletes accounts of devices that are no longer provisioned and
/// warns about provisioned devices the broker has no account for. Idempotent; a broker that refuses the admin fails
/// the start with its reason. The broker's list is read before the credentials, so a device another node registers
/// meanwhile (credential first, then account) is never taken for a leftover.
/// </summary>
internal sealed class BrokerAccountSyncService(
    IBrokerDeviceAccounts broker,
    Func<CancellationToken, Task<IReadOnlySet<string>>> provisioned,
    ILoggerFactory logs) : IHostedService
{
    private const int NamesInLog = 10;

    /// <summary>What the last start did (for the banner and the tests).</summary>
    public BrokerAccountReconciliation? LastRun { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var onBroker = await broker.ListDevicesAsync(cancellationToken).ConfigureAwait(false);
        var plan = BrokerAccountReconciliation.Plan(onBroker, await provisioned(cancellationToken).ConfigureAwait(false));
        foreach (var id in plan.ToRemove) await broker.RemoveDeviceAsync(id, cancellationToken).ConfigureAwait(false);
        var logger = logs.CreateLogger("FleetOrchestrator.Provisioning");
        if (plan.ToRemove.Count > 0)
            logger.LogWarning("Deleted {Count} broker accounts of devices that are no longer provisioned: {Devices}",
                plan.ToRemove.Count, Names(plan.ToRemove));
        if (plan.Missing.Count > 0)
            logger.LogWarning(
                "{Count} provisioned devices have no broker account and cannot connect: {Devices}. Only hashes of their " +
                "secrets are kept, so the accounts cannot be made again: revoke and register these devices to issue " +
                "new secrets", plan.Missing.Count, Names(plan.Missing));
        LastRun = plan;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static string Names(IReadOnlyList<string> ids) =>
        string.Join(", ", ids.Take(NamesInLog)) + (ids.Count > NamesInLog ? $" and {ids.Count - NamesInLog} more" : "");
}
