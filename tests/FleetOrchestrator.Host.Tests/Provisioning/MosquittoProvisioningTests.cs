using System.Diagnostics;
using System.Net;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Mosquitto;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Host.Tests.Provisioning;

/// <summary>
/// `fleet serve --broker mqtt://… --mosquitto-passwd FILE` against a real Mosquitto (Debian's binary): a device
/// registered over the API gets in after Mosquitto reloads its password file, and is shut out after a revoke.
/// </summary>
public sealed class MosquittoProvisioningTests
{
    private const string ServiceUser = "fleet-orchestrator";
    private const string ServicePassword = "service-password-for-host-tests";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_device_registered_over_the_api_connects_to_mosquitto_after_a_reload_and_not_after_a_revoke()
    {
        await using var mosquitto = await LocalMosquitto.StartAsync([new(ServiceUser, ServicePassword)], ServiceUser);
        await using var fleet = await TestOrchestrator.StartAsync(adjust: o => o with
        {
            Mqtt = new MqttTransportOptions
            {
                Mode = MqttTransportMode.External,
                External = new ExternalBrokerOptions { Host = "127.0.0.1", Port = mosquitto.Port, UserName = ServiceUser, Password = ServicePassword },
            },
            MosquittoPasswordFile = mosquitto.PasswordFilePath,
        });

        var registered = await fleet.Operator.RegisterAsync("mosq-dev-1");
        Assert.Equal(HttpStatusCode.Created, registered.Status);
        Assert.Equal(mosquitto.Port, registered.Body.GetProperty("mqttPort").GetInt32());
        var secret = registered.Body.GetProperty("secret").GetString()!;

        await ReloadAsync(mosquitto);
        var connected = await Poll.UntilAsync(() => TryConnectAsync(mosquitto.Port, secret), ok => ok, Deadline, "Mosquitto admitting the new device");
        Assert.True(connected);

        Assert.Equal(HttpStatusCode.NoContent, (await fleet.Operator.SendAsync(HttpMethod.Delete, "/api/devices/mosq-dev-1/credentials")).Status);
        await ReloadAsync(mosquitto);
        await Poll.UntilAsync(() => TryConnectAsync(mosquitto.Port, secret), ok => !ok, Deadline, "Mosquitto refusing the revoked device");
    }

    private static async Task<bool> TryConnectAsync(int port, string secret)
    {
        await using var connection = new DeviceMqttConnection(new DeviceConnectionOptions("127.0.0.1", port, "mosq-dev-1", secret), _ => Task.CompletedTask, null);
        var outcome = await connection.ConnectAsync();
        if (outcome.IsConnected) await connection.DisconnectAsync();
        return outcome.IsConnected;
    }

    /// <summary>What an operator does after the password file changed: SIGHUP makes Mosquitto read it again.</summary>
    private static async Task ReloadAsync(LocalMosquitto mosquitto)
    {
        using var kill = Process.Start("kill", ["-HUP", mosquitto.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
