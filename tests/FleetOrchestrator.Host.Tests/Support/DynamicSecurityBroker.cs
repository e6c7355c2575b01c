using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Mosquitto;
using FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;

namespace FleetOrchestrator.Host.Tests.Support;

/// <summary>
/// A real Mosquitto on its dynamic security plugin, set up as config/mosquitto/README.md says (`mosquitto_ctrl dynsec
/// init` makes the admin; the admin makes the orchestrator's traffic account), and the options a node runs it with.
/// </summary>
public sealed class DynamicSecurityBroker : IAsyncDisposable
{
    public const string AdminUser = "fleet-admin";
    public const string AdminPassword = "dynsec-admin-password-for-host-tests";
    public const string ServiceUser = "fleet-orchestrator";
    public const string ServicePassword = "dynsec-service-password-for-host-tests";

    private DynamicSecurityBroker(LocalMosquitto mosquitto) => Mosquitto = mosquitto;

    public LocalMosquitto Mosquitto { get; }
    public int Port => Mosquitto.Port;

    public static async Task<DynamicSecurityBroker> StartAsync()
    {
        var mosquitto = await LocalMosquitto.StartWithDynamicSecurityAsync(AdminUser, AdminPassword);
        var broker = new DynamicSecurityBroker(mosquitto);
        try
        {
            await using var admin = broker.AdminClient();
            var created = await admin.ExecuteAsync([
                DynamicSecurityCommands.CreateServiceRole(ServiceUser),
                DynamicSecurityCommands.CreateServiceClient(ServiceUser, ServicePassword, ServiceUser)]);
            if (created.FirstOrDefault(r => !r.Succeeded) is { } refused)
                throw new InvalidOperationException($"{refused.Command}: {refused.Error}\n{mosquitto.Output}");
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public DynamicSecurityOptions Admin(string node, string password = AdminPassword) => new()
    {
        Port = Port,
        AdminUserName = AdminUser,
        AdminPassword = password,
        ClientId = $"{node}-dynsec",
        ResponseTimeout = TimeSpan.FromSeconds(5),
    };

    public DynamicSecurityClient AdminClient(string node = "test-admin") => new(Admin(node));

    /// <summary>What `fleet serve --broker mqtt://… --mosquitto-dynsec ADMIN:PASSWORD` makes of a node's options.</summary>
    public global::FleetOrchestrator.Host.Orchestrator.OrchestratorOptions Node(global::FleetOrchestrator.Host.Orchestrator.OrchestratorOptions options, string node,
        string adminPassword = AdminPassword) => options with
    {
        Mqtt = new MqttTransportOptions
        {
            Mode = MqttTransportMode.External,
            External = new ExternalBrokerOptions
            {
                Port = Port,
                UserName = ServiceUser,
                Password = ServicePassword,
                ClientId = node,
                ReconnectInterval = TimeSpan.FromMilliseconds(200),
            },
        },
        MosquittoDynamicSecurity = Admin(node, adminPassword),
    };

    public ValueTask DisposeAsync() => Mosquitto.DisposeAsync();
}
