using System.Buffers;
using System.Text;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Topics;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace FleetOrchestrator.Mqtt.Tests.Embedded;

/// <summary>
/// Every row of PROTOCOL.md's "How the broker refuses", both columns, against the embedded broker: MQTT 5 through
/// MQTTnet's client (its reason-code enums are the wire values), MQTT 3.1.1 through <see cref="Mqtt311WireClient"/>
/// (the bytes a modem's client reads). The expected codes come from the document.
/// </summary>
public sealed class BrokerRefusalTableTests
{
    private const string BadCredentials = "unknown device id or wrong secret";
    private const string ForeignClientId = "client id differs from the user name";
    private const string ForeignSubscribe = "SUBSCRIBE to anything but its own `cmd` topic";
    private const string ForeignPublish = "QoS 1 PUBLISH outside its own `status`, `state`, `evt`";
    private const string BadPayload = "QoS 1 PUBLISH whose payload fails §4 or §6";
    private const string Revoked = "credentials revoked while connected";
    private const string TakenOver = "a second connection with the same client id";
    private const string Shutdown = "the broker shuts down";

    [Fact]
    public void Every_row_of_the_table_is_tested_here()
    {
        string[] tested =
        [
            BadCredentials, ForeignClientId, ForeignSubscribe, ForeignPublish, BadPayload, Revoked, TakenOver, Shutdown,
        ];
        Assert.Equal(tested.Order(), RefusalTable.Rows().Select(r => r.Situation).Order());
    }

    // ------------------------------------------------------------------ MQTT 5

    [Theory]
    [InlineData("dev-a", "not-its-secret")]
    [InlineData("dev-x", "whatever")]
    public async Task Mqtt5_bad_credentials(string user, string secret)
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        using var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Mqtt5(harness, user, secret).Build());
        AssertAnswer(RefusalTable.For(BadCredentials).Mqtt5, "CONNACK", (int)result.ResultCode);
    }

    [Fact]
    public async Task Mqtt5_foreign_client_id()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = Mqtt5(harness, "dev-a", harness.SecretOf("dev-a")).WithClientId("dev-b").Build();
        var result = await client.ConnectAsync(options);
        AssertAnswer(RefusalTable.For(ForeignClientId).Mqtt5, "CONNACK", (int)result.ResultCode);
    }

    [Fact]
    public async Task Mqtt5_foreign_subscribe_keeps_the_connection()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        using var client = await ConnectedMqtt5(harness, "dev-a");
        var result = await client.SubscribeAsync(DeviceTopics.Commands("dev-b"), MqttQualityOfServiceLevel.AtLeastOnce);
        AssertAnswer(RefusalTable.For(ForeignSubscribe).Mqtt5, "SUBACK", (int)result.Items.Single().ResultCode);
        Assert.True(await client.TryPingAsync());
    }

    [Fact]
    public async Task Mqtt5_foreign_publish()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        using var client = await ConnectedMqtt5(harness, "dev-a");
        var forged = Qos1(DeviceTopics.Events("dev-b"), ProtocolCodec.Encode(SampleMessages.Booted()));
        var result = await client.PublishAsync(forged);
        AssertAnswer(RefusalTable.For(ForeignPublish).Mqtt5, "PUBACK", (int)result.ReasonCode);
        await RejectedAsync(harness, "dev-a", DeviceTopics.Events("dev-b"));
    }

    [Fact]
    public async Task Mqtt5_bad_payload()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        using var client = await ConnectedMqtt5(harness, "dev-a");
        var result = await client.PublishAsync(Qos1(DeviceTopics.Events("dev-a"), Incomplete));
        AssertAnswer(RefusalTable.For(BadPayload).Mqtt5, "PUBACK", (int)result.ReasonCode);
    }

    [Fact]
    public async Task Mqtt5_revoked()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        using var client = await ConnectedMqtt5(harness, "dev-a");
        var disconnected = Disconnection(client);
        Assert.True(await harness.Broker.DisconnectClientAsync("dev-a"));
        var e = await disconnected.WaitAsync(Deadline.Default);
        AssertAnswer(RefusalTable.For(Revoked).Mqtt5, "DISCONNECT", (int)e.Reason);
        Assert.Contains(e.ReasonString, RefusalTable.For(Revoked).Mqtt5.Cell);
    }

    [Fact]
    public async Task Mqtt5_taken_over()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        using var older = await ConnectedMqtt5(harness, "dev-a");
        var disconnected = Disconnection(older);
        using var newer = await ConnectedMqtt5(harness, "dev-a");
        var e = await disconnected.WaitAsync(Deadline.Default);
        AssertAnswer(RefusalTable.For(TakenOver).Mqtt5, "DISCONNECT", (int)e.Reason);
    }

    [Fact]
    public async Task Mqtt5_shutdown()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        using var client = await ConnectedMqtt5(harness, "dev-a");
        var disconnected = Disconnection(client);
        await harness.Broker.StopAsync();
        var e = await disconnected.WaitAsync(Deadline.Default);
        AssertAnswer(RefusalTable.For(Shutdown).Mqtt5, "DISCONNECT", (int)e.Reason);
    }

    // ------------------------------------------------------------------ MQTT 3.1.1

    [Theory]
    [InlineData("dev-a", "not-its-secret")]
    [InlineData("dev-x", "whatever")]
    public async Task Mqtt311_bad_credentials_then_closed(string user, string secret)
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        await using var device = await Mqtt311WireClient.OpenAsync(harness.Broker.Port);
        var (_, code) = await device.ConnectAsync(user, user, secret);
        AssertAnswer(RefusalTable.For(BadCredentials).Mqtt311, "CONNACK", code);
        Assert.Null(await device.ReadPacketAsync());
    }

    [Fact]
    public async Task Mqtt311_foreign_client_id()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        await using var device = await Mqtt311WireClient.OpenAsync(harness.Broker.Port);
        var (_, code) = await device.ConnectAsync("dev-b", "dev-a", harness.SecretOf("dev-a"));
        AssertAnswer(RefusalTable.For(ForeignClientId).Mqtt311, "CONNACK", code);
        Assert.Null(await device.ReadPacketAsync());
    }

    [Fact]
    public async Task Mqtt311_foreign_subscribe_keeps_the_connection()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        await using var device = await ConnectedMqtt311(harness, "dev-a");
        var code = await device.SubscribeAsync(1, DeviceTopics.Commands("dev-b"));
        AssertAnswer(RefusalTable.For(ForeignSubscribe).Mqtt311, "SUBACK", code);
        Assert.Equal(1, await device.SubscribeAsync(2, DeviceTopics.Commands("dev-a")));
    }

    [Fact]
    public async Task Mqtt311_foreign_publish_is_acknowledged_and_dropped()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a", "dev-b");
        await using var device = await ConnectedMqtt311(harness, "dev-a");
        var forged = ProtocolCodec.Encode(SampleMessages.Booted(5));
        var answer = await device.PublishQos1Async(7, DeviceTopics.Events("dev-b"), forged);
        AssertAnswer(RefusalTable.For(ForeignPublish).Mqtt311, "PUBACK", answer is null ? null : 0);
        Assert.Equal(2, answer!.Body.Length);   // a 3.1.1 PUBACK: the packet id, no reason code
        await RejectedAsync(harness, "dev-a", DeviceTopics.Events("dev-b"));
        // The connection stays: its own evt still gets through, and the forged one never did.
        var own = ProtocolCodec.Encode(SampleMessages.Booted(6));
        Assert.NotNull(await device.PublishQos1Async(8, DeviceTopics.Events("dev-a"), own));
        await harness.Traffic.WaitFor<EventTraffic>(e => e.DeviceId == "dev-a" && e.Event.Sequence == 6);
        Assert.DoesNotContain(harness.Traffic.Seen, t => t is EventTraffic { DeviceId: "dev-b" });
    }

    [Fact]
    public async Task Mqtt311_bad_payload_is_acknowledged_and_dropped()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        await using var device = await ConnectedMqtt311(harness, "dev-a");
        var answer = await device.PublishQos1Async(3, DeviceTopics.Events("dev-a"), Incomplete);
        AssertAnswer(RefusalTable.For(BadPayload).Mqtt311, "PUBACK", answer is null ? null : 0);
        await RejectedAsync(harness, "dev-a", DeviceTopics.Events("dev-a"));
        var valid = ProtocolCodec.Encode(SampleMessages.Booted(9));
        Assert.NotNull(await device.PublishQos1Async(4, DeviceTopics.Events("dev-a"), valid));
    }

    [Fact]
    public async Task Mqtt311_revoked_is_closed_without_a_packet()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        await using var device = await ConnectedMqtt311(harness, "dev-a");
        Assert.True(await harness.Broker.DisconnectClientAsync("dev-a"));
        AssertClosed(RefusalTable.For(Revoked).Mqtt311, await device.ReadPacketAsync());
    }

    [Fact]
    public async Task Mqtt311_taken_over_is_closed_without_a_packet()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        await using var older = await ConnectedMqtt311(harness, "dev-a");
        await using var newer = await ConnectedMqtt311(harness, "dev-a");
        AssertClosed(RefusalTable.For(TakenOver).Mqtt311, await older.ReadPacketAsync());
    }

    [Fact]
    public async Task Mqtt311_shutdown_is_closed_without_a_packet()
    {
        await using var harness = await EmbeddedBrokerHarness.StartAsync(null, "dev-a");
        await using var device = await ConnectedMqtt311(harness, "dev-a");
        await harness.Broker.StopAsync();
        AssertClosed(RefusalTable.For(Shutdown).Mqtt311, await device.ReadPacketAsync());
    }

    // ------------------------------------------------------------------ helpers

    // Valid JSON with the envelope's schema but no type: the codec refuses it.
    private static readonly byte[] Incomplete = Encoding.UTF8.GetBytes("{\"schema\":1}");

    private static Task<RejectedTraffic> RejectedAsync(EmbeddedBrokerHarness harness, string clientId, string topic) =>
        harness.Traffic.WaitFor<RejectedTraffic>(r => r.ClientId == clientId && r.Topic == topic);

    private static void AssertAnswer(RefusalTable.Answer documented, string packet, int? observed)
    {
        Assert.True(documented.Is(packet), $"PROTOCOL.md says '{documented.Cell}', the broker answered with {packet}");
        if (documented.Code is { } code) Assert.Equal(code, observed);
        else Assert.NotNull(observed);
    }

    private static void AssertClosed(RefusalTable.Answer documented, Mqtt311WireClient.Packet? observed)
    {
        Assert.True(documented.Is("connection closed") || documented.Is("older connection closed"), documented.Cell);
        Assert.True(observed is null, $"expected the connection to close without a packet, got type {observed?.Type}");
    }

    private static MqttClientOptionsBuilder Mqtt5(EmbeddedBrokerHarness harness, string user, string secret) =>
        new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", harness.Broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(user).WithCredentials(user, secret).WithCleanStart(false).WithSessionExpiryInterval(3600);

    private static async Task<IMqttClient> ConnectedMqtt5(EmbeddedBrokerHarness harness, string deviceId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(Mqtt5(harness, deviceId, harness.SecretOf(deviceId)).Build());
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    private static async Task<Mqtt311WireClient> ConnectedMqtt311(EmbeddedBrokerHarness harness, string deviceId)
    {
        var device = await Mqtt311WireClient.OpenAsync(harness.Broker.Port);
        var (_, code) = await device.ConnectAsync(deviceId, deviceId, harness.SecretOf(deviceId));
        Assert.Equal(0, code);
        return device;
    }

    private static Task<MqttClientDisconnectedEventArgs> Disconnection(IMqttClient client)
    {
        var done = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(
            TaskCreationOptions.RunContinuationsAsynchronously);
        client.DisconnectedAsync += e =>
        {
            done.TrySetResult(e);
            return Task.CompletedTask;
        };
        return done.Task;
    }

    private static MqttApplicationMessage Qos1(string topic, byte[] payload) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>(payload),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
    };
}
