using FleetOrchestrator.Mqtt.External;
using FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using MQTTnet;

namespace FleetOrchestrator.Mqtt.Tests.Mosquitto;

/// <summary>Device accounts made through Mosquitto 2.0's dynamic security plugin, against the real broker.</summary>
public sealed class DynamicSecurityAccountsTests(DynamicSecurityMosquitto mosquitto)
    : IClassFixture<DynamicSecurityMosquitto>
{
    private static string NewGroup() => "g" + Guid.NewGuid().ToString("N")[..12];

    private DeviceMqttConnection Device(string id, string secret, CommandInbox inbox) =>
        new(new DeviceConnectionOptions("127.0.0.1", mosquitto.Port, id, secret), inbox.OnCommand, inbox.OnMalformed);

    [Fact]
    public async Task A_created_device_connects_with_its_secret_and_talks_to_the_orchestrator_on_its_own_topics()
    {
        await using var admin = new DynamicSecurityClient(mosquitto.Admin("create"));
        var accounts = new MosquittoDeviceAccounts(admin);
        var secret = DeviceSecrets.Generate();
        await accounts.AddDeviceAsync("dyn-01", secret, CancellationToken.None);
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = new ExternalBrokerTransport(mosquitto.Orchestrator("create", NewGroup()), traffic);
        await orchestrator.StartAsync();
        var inbox = new CommandInbox();
        await using var device = Device("dyn-01", secret, inbox);

        var outcome = await device.ConnectAsync();

        Assert.True(outcome.IsConnected, $"{outcome.ResultCode} {outcome.Reason}\n{mosquitto.Broker.Output}");
        await device.PublishEventAsync(new HealthReported(null, 7, true, null));
        await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "dyn-01" && e.Event.Sequence == 7);
        await orchestrator.SendAsync("dyn-01", new GetState("to-dyn-01"));
        await inbox.WaitFor("to-dyn-01");
        Assert.Contains("dyn-01", await accounts.ListDevicesAsync(CancellationToken.None));
        Assert.DoesNotContain(DynamicSecurityMosquitto.ServiceUser, await accounts.ListDevicesAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_device_cannot_subscribe_to_or_publish_on_another_devices_topics()
    {
        await using var admin = new DynamicSecurityClient(mosquitto.Admin("acl"));
        var accounts = new MosquittoDeviceAccounts(admin);
        var spySecret = DeviceSecrets.Generate();
        var victimSecret = DeviceSecrets.Generate();
        await accounts.AddDeviceAsync("dyn-spy", spySecret, CancellationToken.None);
        await accounts.AddDeviceAsync("dyn-victim", victimSecret, CancellationToken.None);
        var traffic = new RecordingTrafficHandler();
        await using var orchestrator = new ExternalBrokerTransport(mosquitto.Orchestrator("acl", NewGroup()), traffic);
        await orchestrator.StartAsync();
        var spyInbox = new CommandInbox();
        var victimInbox = new CommandInbox();
        await using var spy = Device("dyn-spy", spySecret, spyInbox);
        await using var victim = Device("dyn-victim", victimSecret, victimInbox);
        Assert.True((await spy.ConnectAsync()).IsConnected);
        Assert.True((await victim.ConnectAsync()).IsConnected);

        // Unlike acl_file (eclipse/mosquitto#2042), the plugin refuses the SUBSCRIBE itself.
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await spy.SubscribeRawAsync(DeviceTopics.Commands("dyn-victim")));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await spy.SubscribeRawAsync("fleet/v1/devices/+/cmd"));
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, await spy.SubscribeRawAsync(DeviceTopics.Events("dyn-victim")));
        var forged = await spy.PublishRawAsync(DeviceTopics.Events("dyn-victim"), ProtocolCodec.Encode(SampleMessages.Booted(99)));
        await spy.PublishEventAsync(SampleMessages.Booted(100));
        await orchestrator.SendAsync("dyn-victim", new EraseStaged("for-victim"));
        await orchestrator.SendAsync("dyn-spy", new GetState("marker-for-spy"));

        await traffic.WaitFor<EventTraffic>(e => e.DeviceId == "dyn-spy" && e.Event.Sequence == 100);
        Assert.DoesNotContain(traffic.Seen, t => t is EventTraffic { DeviceId: "dyn-victim" });
        Assert.False(forged.IsSuccess, $"the forged publish was accepted: {forged.ReasonCode}");
        await victimInbox.WaitFor("for-victim");
        await spyInbox.WaitFor("marker-for-spy");
        Assert.DoesNotContain(spyInbox.Commands, c => c.Id == "for-victim");
    }

    [Fact]
    public async Task Removing_a_device_drops_its_connection_and_refuses_its_next_connect()
    {
        await using var admin = new DynamicSecurityClient(mosquitto.Admin("remove"));
        var accounts = new MosquittoDeviceAccounts(admin);
        var secret = DeviceSecrets.Generate();
        await accounts.AddDeviceAsync("dyn-gone", secret, CancellationToken.None);
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var device = Device("dyn-gone", secret, new CommandInbox());
        device.ConnectionLost += () => dropped.TrySetResult();
        Assert.True((await device.ConnectAsync()).IsConnected);

        Assert.True(await accounts.RemoveDeviceAsync("dyn-gone", CancellationToken.None));

        await dropped.Task.WaitAsync(Deadline.Default);
        await using var again = Device("dyn-gone", secret, new CommandInbox());
        var outcome = await again.ConnectAsync();
        Assert.False(outcome.IsConnected);
        Assert.DoesNotContain("dyn-gone", await accounts.ListDevicesAsync(CancellationToken.None));
        Assert.False(await accounts.RemoveDeviceAsync("dyn-gone", CancellationToken.None));
    }

    [Fact]
    public async Task Adding_a_device_again_replaces_its_secret()
    {
        await using var admin = new DynamicSecurityClient(mosquitto.Admin("replace"));
        var accounts = new MosquittoDeviceAccounts(admin);
        var old = DeviceSecrets.Generate();
        var fresh = DeviceSecrets.Generate();
        await accounts.AddDeviceAsync("dyn-again", old, CancellationToken.None);

        await accounts.AddDeviceAsync("dyn-again", fresh, CancellationToken.None);

        await using (var withOld = Device("dyn-again", old, new CommandInbox()))
            Assert.False((await withOld.ConnectAsync()).IsConnected);
        await using var withFresh = Device("dyn-again", fresh, new CommandInbox());
        Assert.True((await withFresh.ConnectAsync()).IsConnected);
    }

    [Fact]
    public async Task A_wrong_admin_password_is_a_clear_error()
    {
        await using var admin = new DynamicSecurityClient(mosquitto.Admin("wrong", password: "not-the-password"));

        var error = await Assert.ThrowsAsync<DynamicSecurityException>(() => admin.ConnectAsync());

        Assert.Contains("refused the dynamic-security admin 'fleet-admin'", error.Message);
        Assert.Contains("NotAuthorized", error.Message);
    }

    [Fact]
    public async Task A_user_who_is_not_the_plugins_admin_is_told_so()
    {
        await using var notAdmin = new DynamicSecurityClient(mosquitto.Admin("service") with
        {
            AdminUserName = DynamicSecurityMosquitto.ServiceUser,
            AdminPassword = DynamicSecurityMosquitto.ServicePassword,
        });

        var error = await Assert.ThrowsAsync<DynamicSecurityException>(() => notAdmin.ConnectAsync());

        Assert.Contains("role 'admin'", error.Message);
    }
}
