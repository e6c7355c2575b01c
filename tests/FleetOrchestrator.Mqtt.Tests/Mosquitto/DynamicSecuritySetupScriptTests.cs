using System.Diagnostics;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Mosquitto;
using FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

/// <summary>
/// config/mosquitto/dynsec-setup.sh as the docs tell an operator to run it: after `init`, `service` makes an account
/// the
/// orchestrator can consume and command through, shared subscription included.
/// </summary>
public sealed class DynamicSecuritySetupScriptTests
{
    [Fact]
    public async Task The_service_account_the_script_makes_lets_the_orchestrator_subscribe_shared_and_command_a_device()
    {
        const string admin = "fleet-admin";
        const string adminPassword = "script-admin-password";
        const string servicePassword = "script-service-password";
        await using var broker = await LocalMosquitto.StartWithDynamicSecurityAsync(admin, adminPassword);

        var (exitCode, output) = await RunAsync(Script(), ["service", "127.0.0.1", broker.Port.ToString(
            System.Globalization.CultureInfo.InvariantCulture)], new Dictionary<string, string>
        {
            ["FLEET_DYNSEC_ADMIN"] = admin,
            ["FLEET_DYNSEC_ADMIN_PASSWORD"] = adminPassword,
            ["FLEET_SERVICE_PASSWORD"] = servicePassword,
        });
        Assert.True(exitCode == 0, output);

        await using var adminClient = new DynamicSecurityClient(new DynamicSecurityOptions
        {
            Port = broker.Port, AdminUserName = admin, AdminPassword = adminPassword, ClientId = "script-admin",
        });
        var secret = DeviceSecrets.Generate();
        await new MosquittoDeviceAccounts(adminClient).AddDeviceAsync("script-dev", secret, CancellationToken.None);
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = new ExternalBrokerTransport(new ExternalBrokerOptions
        {
            Port = broker.Port,
            UserName = "fleet-orchestrator",
            Password = servicePassword,
            ClientId = "script-orchestrator",
            SessionExpirySeconds = 0,
        }, traffic);
        await orchestrator.StartAsync();
        var inbox = new CommandInbox();
        await using var device = new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", broker.Port, "script-dev", secret), inbox.OnCommand);
        Assert.True((await device.ConnectAsync()).IsConnected);

        await device.PublishEventAsync(new HealthReported(null, 1, true, null));
        await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "script-dev");
        await orchestrator.SendAsync("script-dev", new GetState("from-script-account"));
        await inbox.WaitFor("from-script-account");
    }

    private static string Script()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"),
            "config", "mosquitto", "dynsec-setup.sh");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string script, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("bash", [script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
