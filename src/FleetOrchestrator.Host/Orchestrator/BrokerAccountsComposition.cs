using FleetOrchestrator.Host.Adapters;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Server.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// The broker-accounts part of <see cref="OrchestratorComposition"/>: with
/// <see cref="OrchestratorOptions.MosquittoDynamicSecurity"/> set, provisioning also creates and deletes the device's
/// account in Mosquitto's dynamic security plugin (<see cref="BrokerSyncedProvisioning"/> around the registered
/// <see cref="IDeviceProvisioning"/>), and a start-up sync removes leftovers (<see cref="BrokerAccountSyncService"/>).
/// Call it after <see cref="IDeviceProvisioning"/> is registered; without the option it changes nothing.
/// </summary>
internal static class BrokerAccountsComposition
{
    public static void AddBrokerAccounts(IServiceCollection services, OrchestratorOptions options)
    {
        if (options.MosquittoDynamicSecurity is not { } dynsec) return;
        services.AddSingleton(new DynamicSecurityClient(dynsec));
        services.AddSingleton<IBrokerDeviceAccounts>(sp =>
            new MosquittoDeviceAccounts(sp.GetRequiredService<DynamicSecurityClient>()));
        services.AddSingleton(sp => new BrokerAccountSyncService(
            sp.GetRequiredService<IBrokerDeviceAccounts>(),
            // Read afresh, not the live store loaded at start: another node may have registered devices since.
            _ => Task.FromResult<IReadOnlySet<string>>(sp.GetRequiredService<DeviceRegistry>().File.Load()
                .Select(c => c.DeviceId).ToHashSet(StringComparer.Ordinal)),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<BrokerAccountSyncService>());

        var registered = services.Last(d => d.ServiceType == typeof(IDeviceProvisioning));
        services.Remove(registered);
        services.AddSingleton<IDeviceProvisioning>(sp => new BrokerSyncedProvisioning(
            registered.ImplementationInstance as IDeviceProvisioning
            ?? (IDeviceProvisioning)(registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            sp.GetRequiredService<IBrokerDeviceAccounts>()));
    }
}
