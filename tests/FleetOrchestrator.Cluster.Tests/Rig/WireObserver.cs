using System.Buffers;
using System.Collections.Concurrent;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using MQTTnet;
using MQTTnet.Protocol;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>
/// A plain (not shared) subscriber to every device's commands, events and retained state on the rig's broker, as the
/// orchestrator's service user: it sees what the devices and the nodes said to each other, whichever node said it,
/// and keeps each device's latest retained state report (the device's own truth).
/// </summary>
public sealed class WireObserver : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly List<WireMessage> _messages = [];
    private readonly ConcurrentDictionary<string, DeviceStateReport> _states = new();
    private int _undecodable;

    private WireObserver() => _client.ApplicationMessageReceivedAsync += e =>
    {
        Record(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload);
        return Task.CompletedTask;
    };

    public IReadOnlyDictionary<string, DeviceStateReport> LatestStates => _states;

    public int Undecodable => _undecodable;

    public IReadOnlyList<WireMessage> Messages
    {
        get { lock (_messages) return _messages.ToList(); }
    }

    public static async Task<WireObserver> ConnectAsync(int port, string userName, string password)
    {
        var observer = new WireObserver();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("cluster-test-observer")
            .WithCredentials(userName, password)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .Build();
        var connected = await observer._client.ConnectAsync(options);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException($"observer refused by the broker: {connected.ResultCode}");
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(DeviceTopics.Root + "/+/" + DeviceTopics.CommandsLeaf,
                MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(DeviceTopics.AllEvents, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(DeviceTopics.AllState, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var granted = await observer._client.SubscribeAsync(subscribe);
        if (granted.Items.Any(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2))
            throw new InvalidOperationException("the broker refused the observer's subscriptions");
        return observer;
    }

    private void Record(string topic, ReadOnlySequence<byte> payload)
    {
        if (!DeviceTopics.TryParse(topic, out var deviceId, out var kind) || payload.IsEmpty) return;
        WireMessage? message = kind switch
        {
            DeviceTopicKind.Commands => ProtocolCodec.DecodeCommand(payload) is { Value: { } c }
                ? new WireMessage(deviceId, c, null, null) : null,
            DeviceTopicKind.Events => ProtocolCodec.DecodeEvent(payload) is { Value: { } e }
                ? new WireMessage(deviceId, null, e, null) : null,
            DeviceTopicKind.State => ProtocolCodec.DecodeEvent(payload) is { Value: StateReported s }
                ? new WireMessage(deviceId, null, null, s.State) : null,
            _ => null,
        };
        if (message is null)
        {
            if (kind != DeviceTopicKind.Status) Interlocked.Increment(ref _undecodable);
            return;
        }
        if (message.State is { } state) _states[deviceId] = state;
        lock (_messages) _messages.Add(message);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected) await _client.DisconnectAsync();
        _client.Dispose();
    }
}
