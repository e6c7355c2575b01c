using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Mosquitto;
using FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>
/// A real Mosquitto on the dynamic security plugin, set up as config/mosquitto/README.md says: `mosquitto_ctrl dynsec
/// init` makes the admin, then the admin creates the orchestrator's traffic account through the plugin.
/// </summary>
public sealed class DynamicSecurityMosquitto : IAsyncLifetime
{
    public const string AdminUser = "fleet-admin";
    public const string AdminPassword = "dynsec-admin-password";
    public const string ServiceUser = "fleet-orchestrator";
    public const string ServicePassword = "dynsec-service-password";
    private LocalMosquitto? _broker;

    internal LocalMosquitto Broker => _broker ?? throw new InvalidOperationException("Mosquitto is not started");

    public int Port => Broker.Port;

    public async Task InitializeAsync()
    {
        _broker = await LocalMosquitto.StartWithDynamicSecurityAsync(AdminUser, AdminPassword);
        await using var admin = new DynamicSecurityClient(Admin("setup"));
        var created = await admin.ExecuteAsync([
            DynamicSecurityCommands.CreateServiceRole(ServiceUser),
            DynamicSecurityCommands.CreateServiceClient(ServiceUser, ServicePassword, ServiceUser)]);
        if (created.FirstOrDefault(r => !r.Succeeded) is { } refused)
            throw new InvalidOperationException($"{refused.Command}: {refused.Error}\n{_broker.Output}");
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null) await _broker.DisposeAsync();
    }

    internal DynamicSecurityOptions Admin(string clientSuffix, string? password = null) => new()
    {
        Port = Port,
        AdminUserName = AdminUser,
        AdminPassword = password ?? AdminPassword,
        ClientId = $"fleet-dynsec-{clientSuffix}",
        ResponseTimeout = TimeSpan.FromSeconds(5),
    };

    internal ExternalBrokerOptions Orchestrator(string clientSuffix, string group) => new()
    {
        Port = Port,
        UserName = ServiceUser,
        Password = ServicePassword,
        ClientId = $"fleet-orchestrator-{clientSuffix}",
        SharedSubscriptionGroup = group,
        SessionExpirySeconds = 0,
        ReconnectInterval = TimeSpan.FromMilliseconds(200),
    };
}
