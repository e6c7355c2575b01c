using System.Buffers;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;
using FleetOrchestrator.Simulation.Links.KeepAlive;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace FleetOrchestrator.Simulation.Links.DeviceMqtt;

/// <summary>
/// A device's MQTT connection, as the firmware's update agent holds it: its own credentials (client id = user name =
/// device id), a persistent session so QoS 1 commands wait while it is offline, a retained last will that marks it
/// offline, retained online presence on connect, a subscription to its own cmd topic only, and the Protocol codec on
/// both directions. Built to be cheap: a simulated fleet runs 10,000 of these in one process.
/// </summary>
public sealed class DeviceMqttConnection : IAsyncDisposable
{
    private static readonly MqttClientFactory Factory = new();
    private readonly DeviceConnectionOptions _options;
    private readonly Func<DeviceCommand, Task> _onCommand;
    private readonly Action<string>? _onMalformedCommand;
    private readonly string _commandTopic;
    private IMqttClient? _client;
    private IDisposable? _keepAlive;

    /// <param name="onCommand">
    /// Called with each decoded command, on the connection's receive path; the PUBACK goes out when the task completes,
    /// so a command is redelivered if the device dies before handling it. Keep it short: hand off.
    /// </param>
    /// <param name="onMalformedCommand">Called with the reason when a payload on the cmd topic does not decode.</param>
    public DeviceMqttConnection(DeviceConnectionOptions options, Func<DeviceCommand, Task> onCommand, Action<string>? onMalformedCommand = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onCommand);
        _options = options;
        _onCommand = onCommand;
        _onMalformedCommand = onMalformedCommand;
        _commandTopic = DeviceTopics.Commands(options.DeviceId);
    }

    public string DeviceId => _options.DeviceId;

    public bool IsConnected => _client?.IsConnected == true;

    /// <summary>
    /// Raised when the broker or the network ends a connection that this side did not end (broker restart, keep-alive
    /// timeout, session taken over). Not raised by <see cref="AbortAsync"/>, <see cref="DisconnectAsync"/> or disposal.
    /// Runs on the client's thread: hand off (e.g. queue a reconnect), do not reconnect inline.
    /// </summary>
    public event Action? ConnectionLost;

    /// <summary>
    /// Connects, subscribes to the cmd topic when the broker has no session for it, and publishes online presence
    /// (retained). A refused CONNECT is returned, not thrown; a broker that cannot be reached throws.
    /// </summary>
    public async Task<DeviceConnectOutcome> ConnectAsync(CancellationToken cancellationToken = default)
    {
        if (IsConnected) throw new InvalidOperationException($"device '{DeviceId}' is already connected");
        if (_options.KeepAliveSeconds is < 0 or > ushort.MaxValue)
            throw new InvalidOperationException($"device '{DeviceId}': keep-alive {_options.KeepAliveSeconds} s is outside MQTT's 0-65535 s");
        await DropClientAsync().ConfigureAwait(false);
        var adapters = SharedKeepAlive is null ? _options.Link : new KeepAliveDeclaringAdapterFactory(_options.Link, (ushort)_options.KeepAliveSeconds);
        var client = adapters is null ? Factory.CreateMqttClient() : Factory.CreateMqttClient(adapters);
        client.ApplicationMessageReceivedAsync += OnMessageAsync;
        client.DisconnectedAsync += e =>
        {
            // _client is cleared before this side drops a client, so only losses it did not cause get here.
            if (!ReferenceEquals(_client, client)) return Task.CompletedTask;
            Interlocked.Exchange(ref _keepAlive, null)?.Dispose();
            if (e.ClientWasConnected) ConnectionLost?.Invoke();
            return Task.CompletedTask;
        };
        _client = client;

        var result = await client.ConnectAsync(BuildOptions(), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
            return new DeviceConnectOutcome(false, false, result.ResultCode.ToString(), result.ReasonString);
        _keepAlive = SharedKeepAlive?.Register(TimeSpan.FromSeconds(_options.KeepAliveSeconds), client.PingAsync, _ => OnPingUnanswered(client));

        if (!result.IsSessionPresent)
        {
            // Retain handling 2 (PROTOCOL.md §2): commands are never retained, and a broker that honours it skips matching
            // the subscription against every retained message (all devices' status and state) on each connect.
            var subscription = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(_commandTopic)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithRetainHandling(MqttRetainHandling.DoNotSendOnSubscribe))
                .Build();
            var subscribe = await client.SubscribeAsync(subscription, cancellationToken).ConfigureAwait(false);
            var code = subscribe.Items.First().ResultCode;
            if (code > MqttClientSubscribeResultCode.GrantedQoS2)
                throw new InvalidOperationException($"broker refused device '{DeviceId}' its own command topic '{_commandTopic}': {code}");
        }
        await PublishPresenceAsync(new DevicePresence(true), cancellationToken).ConfigureAwait(false);
        return new DeviceConnectOutcome(true, result.IsSessionPresent, result.ResultCode.ToString(), result.ReasonString);
    }

    public Task PublishEventAsync(DeviceEvent deviceEvent, CancellationToken cancellationToken = default) =>
        PublishOwnAsync(DeviceTopics.Events(DeviceId), ProtocolCodec.Encode(deviceEvent), retain: false, cancellationToken);

    /// <summary>The full state report on the state topic, retained so an orchestrator that starts later still reads it.</summary>
    public Task PublishStateAsync(StateReported report, CancellationToken cancellationToken = default) =>
        PublishOwnAsync(DeviceTopics.State(DeviceId), ProtocolCodec.Encode(report), retain: true, cancellationToken);

    public Task PublishPresenceAsync(DevicePresence presence, CancellationToken cancellationToken = default) =>
        PublishOwnAsync(DeviceTopics.Status(DeviceId), ProtocolCodec.Encode(presence), retain: true, cancellationToken);

    /// <summary>Goes offline politely: publishes offline presence, then DISCONNECT (the broker then drops the will).</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (_client is { IsConnected: true } client)
        {
            await PublishPresenceAsync(new DevicePresence(false), cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken).ConfigureAwait(false);
        }
        await DropClientAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Drops the connection without DISCONNECT, as a power cut or a lost radio link does: the broker publishes the
    /// last will (offline, retained). <see cref="ConnectAsync"/> may be called again afterwards.
    /// </summary>
    public Task AbortAsync() => DropClientAsync();

    /// <summary>Publishes anything, anywhere: for tests that check the broker's ACL. Returns the broker's answer.</summary>
    internal async Task<MqttClientPublishResult> PublishRawAsync(string topic, byte[] payload, bool retain = false, CancellationToken cancellationToken = default)
    {
        var client = ConnectedClient();
        return await client.PublishAsync(Message(topic, payload, retain), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Subscribes to any filter: for tests that check the broker's ACL. Returns the broker's answer.</summary>
    internal async Task<MqttClientSubscribeResultCode> SubscribeRawAsync(string topicFilter, CancellationToken cancellationToken = default)
    {
        var result = await ConnectedClient().SubscribeAsync(topicFilter, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        return result.Items.First().ResultCode;
    }

    private async Task PublishOwnAsync(string topic, byte[] payload, bool retain, CancellationToken cancellationToken)
    {
        var result = await ConnectedClient().PublishAsync(Message(topic, payload, retain), cancellationToken).ConfigureAwait(false);
        // NoMatchingSubscribers only says nobody subscribed; the embedded broker consumes device traffic without subscribing.
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
            throw new InvalidOperationException($"broker refused device '{DeviceId}''s publish on '{topic}': {result.ReasonCode} {result.ReasonString}");
    }

    private IMqttClient ConnectedClient() =>
        _client is { IsConnected: true } client ? client : throw new InvalidOperationException($"device '{DeviceId}' is not connected");

    private static MqttApplicationMessage Message(string topic, byte[] payload, bool retain) => new()
    {
        Topic = topic,
        Payload = new ReadOnlySequence<byte>(payload),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        Retain = retain,
    };

    private MqttClientOptions BuildOptions()
    {
        var builder = new MqttClientOptionsBuilder();
        // MQTTnet requires channel options even when the link ignores them; an in-process link is named after the device.
        builder = _options.Link is null ? builder.WithTcpServer(_options.Host, _options.Port) : builder.WithEndPoint(new InProcessEndPoint(DeviceId));
        builder = builder
            .WithClientId(DeviceId)
            .WithCredentials(DeviceId, _options.Secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            // Kept alive by the shared timer, the client's own ping loop is off; the CONNECT still declares the period.
            .WithKeepAlivePeriod(SharedKeepAlive is null ? TimeSpan.FromSeconds(_options.KeepAliveSeconds) : TimeSpan.Zero)
            .WithTimeout(_options.Timeout)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(_options.SessionExpirySeconds)
            .WithWillTopic(DeviceTopics.Status(DeviceId))
            .WithWillPayload(ProtocolCodec.Encode(new DevicePresence(false)))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithWillDelayInterval(_options.WillDelaySeconds);
        if (_options.Tls is { } trust && _options.Link is null)
        {
            builder = builder.WithServerTrust(_options.Host, trust);
        }
        return builder.Build();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (e.ApplicationMessage.Topic != _commandTopic)
        {
            _onMalformedCommand?.Invoke($"message on '{e.ApplicationMessage.Topic}', which is not this device's command topic");
            return;
        }
        var decoded = ProtocolCodec.DecodeCommand(e.ApplicationMessage.Payload);
        if (!decoded.IsSuccess)
        {
            _onMalformedCommand?.Invoke($"malformed command on '{_commandTopic}': {decoded.Error.Message}");
            return;
        }
        await _onCommand(decoded.Value).ConfigureAwait(false);
    }

    private SharedKeepAlive? SharedKeepAlive => _options.KeepAliveSeconds > 0 ? _options.SharedKeepAlive : null;

    /// <summary>What MQTTnet's own loop does when a ping goes unanswered: the connection is over, uncleanly.</summary>
    private void OnPingUnanswered(IMqttClient client)
    {
        // A client MQTTnet already saw disconnected has raised ConnectionLost through DisconnectedAsync.
        if (!client.IsConnected)
        {
            if (ReferenceEquals(_client, client)) Interlocked.Exchange(ref _keepAlive, null)?.Dispose();
            return;
        }
        if (!ReferenceEquals(Interlocked.CompareExchange(ref _client, null, client), client)) return;
        Interlocked.Exchange(ref _keepAlive, null)?.Dispose();
        client.Dispose();
        ConnectionLost?.Invoke();
    }

    private Task DropClientAsync()
    {
        Interlocked.Exchange(ref _keepAlive, null)?.Dispose();
        var client = _client;
        _client = null;
        // Dispose closes the socket without sending DISCONNECT: to the broker this is an unclean loss, so the will fires.
        client?.Dispose();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await DropClientAsync().ConfigureAwait(false);
}
