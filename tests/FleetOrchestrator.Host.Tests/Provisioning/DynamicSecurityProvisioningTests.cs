using System.Net;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace FleetOrchestrator.Host.Tests.Provisioning;

/// <summary>
/// `fleet serve --broker mqtt://… --mosquitto-dynsec ADMIN:PASSWORD` against a real Mosquitto on its dynamic security
/// plugin: the API's provisioning makes and deletes the device's broker account at once, with no file and no reload.
/// </summary>
public sealed class DynamicSecurityProvisioningTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_device_registered_over_the_api_connects_at_once_reaches_only_its_topics_and_is_shut_out_by_a_revoke()
    {
        await using var broker = await DynamicSecurityBroker.StartAsync();
        await using var fleet = await TestOrchestrator.StartAsync(adjust: o => broker.Node(o, "node-api"));

        var registered = await fleet.Operator.RegisterAsync("dyn-api-1");
        Assert.Equal(HttpStatusCode.Created, registered.Status);
        var secret = registered.Body.GetProperty("secret").GetString()!;

        // No reload, no file: the account exists as soon as the API answered.
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized,
            await SubscribeAsDeviceAsync(broker.Port, "dyn-api-1", secret, DeviceTopics.Commands("dyn-api-other")));
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var device = new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", broker.Port, "dyn-api-1", secret), _ => Task.CompletedTask);
        device.ConnectionLost += () => dropped.TrySetResult();
        var outcome = await device.ConnectAsync();
        Assert.True(outcome.IsConnected, $"{outcome.ResultCode} {outcome.Reason}\n{broker.Mosquitto.Output}");

        Assert.Equal(HttpStatusCode.NoContent,
            (await fleet.Operator.SendAsync(HttpMethod.Delete, "/api/devices/dyn-api-1/credentials")).Status);

        await dropped.Task.WaitAsync(Deadline);
        await using var again = new DeviceMqttConnection(
            new DeviceConnectionOptions("127.0.0.1", broker.Port, "dyn-api-1", secret), _ => Task.CompletedTask);
        Assert.False((await again.ConnectAsync()).IsConnected);
    }

    [Fact]
    public async Task When_the_broker_cannot_make_the_account_the_api_answers_502_and_keeps_no_credential()
    {
        var broker = await DynamicSecurityBroker.StartAsync();
        await using var fleet = await TestOrchestrator.StartAsync(adjust: o => broker.Node(o, "node-refused"));
        await broker.DisposeAsync();

        var refused = await fleet.Operator.RegisterAsync("dyn-refused");

        Assert.Equal(HttpStatusCode.BadGateway, refused.Status);
        Assert.Contains("dyn-refused", refused.Body.GetProperty("detail").GetString());
        Assert.Contains("was not provisioned", refused.Body.GetProperty("detail").GetString());
        Assert.False(fleet.Host.Credentials.ContainsDevice("dyn-refused"));
        Assert.DoesNotContain(fleet.Host.Devices.File.Load(), c => c.DeviceId == "dyn-refused");
    }

    [Fact]
    public async Task A_wrong_admin_password_stops_the_start_with_the_brokers_reason()
    {
        await using var broker = await DynamicSecurityBroker.StartAsync();

        var error = await Assert.ThrowsAsync<DynamicSecurityException>(() =>
            TestOrchestrator.StartAsync(adjust: o => broker.Node(o, "node-wrong", adminPassword: "wrong")));

        Assert.Contains("refused the dynamic-security admin 'fleet-admin'", error.Message);
    }

    [Fact]
    public async Task The_start_sync_deletes_accounts_of_devices_that_are_not_provisioned_and_names_the_missing_ones()
    {
        await using var broker = await DynamicSecurityBroker.StartAsync();
        await using (var admin = broker.AdminClient())
            await new MosquittoDeviceAccounts(admin).AddDeviceAsync("dyn-stale", "stale-secret", CancellationToken.None);
        var directory = TestOrchestrator.NewDataDirectory();
        // Provisioned while the broker was another one (or lost its state): known here, absent there.
        new DeviceCredentialFile(Path.Combine(directory, DeviceCredentialFile.DefaultFileName))
            .TryAdd("dyn-known", "known-secret", DateTimeOffset.UtcNow, out _);

        await using var fleet = await TestOrchestrator.StartAsync(directory, o => broker.Node(o, "node-sync"));

        var run = fleet.Host.Services.GetRequiredService<BrokerAccountSyncService>().LastRun;
        Assert.NotNull(run);
        Assert.Equal(["dyn-stale"], run.ToRemove);
        Assert.Equal(["dyn-known"], run.Missing);
        await using var check = broker.AdminClient("check");
        Assert.DoesNotContain("dyn-stale", await new MosquittoDeviceAccounts(check).ListDevicesAsync(CancellationToken.None));
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<MqttClientSubscribeResultCode> SubscribeAsDeviceAsync(int port, string id, string secret,
        string filter)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id)
            .WithCredentials(id, secret).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        var result = await client.SubscribeAsync(filter);
        await client.DisconnectAsync();
        return result.Items.First().ResultCode;
    }
}
