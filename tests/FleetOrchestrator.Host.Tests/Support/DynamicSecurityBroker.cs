using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Mosquitto;
using FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;
using FleetOrchestrator.Mqtt.Tests.Support;

namespace FleetOrchestrator.Host.Tests.Support;

/// <summary>
/// The Mqtt tests' <see cref="DynamicSecurityMosquitto"/> (a real Mosquitto on its dynamic security plugin with the
/// admin and the orchestrator's traffic account, as config/mosquitto/README.md says), started on demand, and the
/// options a node runs it with.
/// </summary>
public sealed class DynamicSecurityBroker : IAsyncDisposable
{
    public const string AdminUser = DynamicSecurityMosquitto.AdminUser;
    public const string AdminPassword = DynamicSecurityMosquitto.AdminPassword;
    public const string ServiceUser = DynamicSecurityMosquitto.ServiceUser;
    public const string ServicePassword = DynamicSecurityMosquitto.ServicePassword;
    private readonly DynamicSecurityMosquitto _mosquitto;

    private DynamicSecurityBroker(DynamicSecurityMosquitto mosquitto) => _mosquitto = mosquitto;

    public LocalMosquitto Mosquitto => _mosquitto.Broker;
    public int Port => _mosquitto.Port;

    public static async Task<DynamicSecurityBroker> StartAsync()
    {
        var mosquitto = new DynamicSecurityMosquitto();
        try
        {
            await mosquitto.InitializeAsync();
            return new DynamicSecurityBroker(mosquitto);
        }
        catch
        {
            await mosquitto.DisposeAsync();
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

    /// <summary>What `fleet serve --broker mqtt://… --mosquitto-dynsec ADMIN:PASSWORD` makes of a node's
    /// options.</summary>
    public OrchestratorOptions Node(OrchestratorOptions options, string node,
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

    public ValueTask DisposeAsync() => new(_mosquitto.DisposeAsync());
}
