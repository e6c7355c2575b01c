using System.Buffers;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Routing;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Mqtt.Telemetry;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Protocol.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace FleetOrchestrator.Mqtt.External;

/// <summary>
/// The orchestrator's side of an external broker (Mosquitto, EMQX): sends commands as QoS 1 publishes on
/// <c>…/{id}/cmd</c> and consumes device traffic through shared subscriptions, handing it to the
/// <see cref="IDeviceTrafficHandler"/>. The broker's ACL is what keeps devices inside their own topics here; this side
/// still parses every topic and payload and rejects what does not fit.
/// MQTTnet 5 has no managed client, so a supervising loop pings the broker and reconnects (and re-subscribes when the
/// broker lost the session) until disposed.
/// </summary>
public sealed class ExternalBrokerTransport : IDeviceCommandSender, IAsyncDisposable
{
    private readonly ExternalBrokerOptions _options;
    private readonly DeviceTrafficRouter _router;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _clientOptions;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _supervisor;
    private bool _abandoned;

    public ExternalBrokerTransport(ExternalBrokerOptions options, IDeviceTrafficHandler traffic, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(traffic);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _router = new DeviceTrafficRouter(traffic, _logger);
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithClientId(options.ClientId)
            .WithCredentials(options.UserName, options.Password)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(10))
            // A persistent session: the broker keeps queuing this node's share of QoS 1 traffic while it reconnects.
            .WithCleanStart(false)
            .WithSessionExpiryInterval(options.SessionExpirySeconds);
        if (options.UseTls)
            builder = builder.WithServerTrust(options.Host, ServerTrustMqttExtensions.BrokerTrust(options.CaFile));
        _clientOptions = builder.Build();
        // One connection carries the whole fleet's traffic: see ExternalBrokerOptions.SocketBufferBytes.
        if (_clientOptions.ChannelOptions is MqttClientTcpOptions tcp) tcp.BufferSize = options.SocketBufferBytes;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>The options the client connects with (for tests).</summary>
    internal MqttClientOptions ClientOptions => _clientOptions;

    /// <summary>
    /// Raised after every successful (re)connect, once the subscriptions are in place; the argument says whether the
    /// broker still had this node's session. For health checks and metrics; keep handlers short.
    /// </summary>
    public event Action<bool>? Connected;

    /// <summary>Connects once (throwing with the broker's reason if refused), then keeps the connection alive in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_supervisor is not null) throw new InvalidOperationException("the transport is already started");
        try
        {
            await ConnectAndSubscribeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (FindTlsRefusal(e) is { } tls)
        {
            // MQTTnet says only that the connection failed; the operator needs to hear which check refused it.
            var trust = _options.CaFile is { } ca ? $"the CA file '{ca}'" : "the system's trust store";
            throw new InvalidOperationException(
                $"broker {_options.Host}:{_options.Port}: the TLS handshake failed, checked against {trust}: "
                + tls.Message, e);
        }
        _supervisor = Task.Run(() => SuperviseAsync(_stopping.Token), CancellationToken.None);
    }

    public async ValueTask SendAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (WireIdentifiers.DescribeDeviceIdProblem(deviceId) is { } problem)
            throw new ArgumentException($"cannot send {command.GetType().Name} '{command.Id}' to '{deviceId}': {problem}", nameof(deviceId));
        if (!_client.IsConnected)
            throw new InvalidOperationException(
                $"cannot send {command.GetType().Name} '{command.Id}' to '{deviceId}': not connected to {_options.Host}:{_options.Port} (reconnecting)");
        var message = new MqttApplicationMessage
        {
            Topic = DeviceTopics.Commands(deviceId),
            Payload = new ReadOnlySequence<byte>(ProtocolCodec.Encode(command)),
            QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
            ContentType = "application/json",
        };
        var result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        MqttMetrics.CommandSent();
        // NoMatchingSubscribers is fine: the device is offline and its persistent session (if any) queues the command.
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
            throw new InvalidOperationException(
                $"broker refused {command.GetType().Name} '{command.Id}' to '{deviceId}': {result.ReasonCode} {result.ReasonString}");
    }

    private static System.Security.Authentication.AuthenticationException? FindTlsRefusal(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is System.Security.Authentication.AuthenticationException tls) return tls;
        }
        return null;
    }

    private async Task ConnectAndSubscribeAsync(CancellationToken cancellationToken)
    {
        var connect = await _client.ConnectAsync(_clientOptions, cancellationToken).ConfigureAwait(false);
        if (connect.ResultCode != MqttClientConnectResultCode.Success)
            throw new InvalidOperationException(
                $"broker {_options.Host}:{_options.Port} refused '{_options.ClientId}': {connect.ResultCode} {connect.ReasonString}");
        if (connect.IsSessionPresent)
        {
            Connected?.Invoke(true);
            return;
        }
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in SharedSubscriptionFilters.For(_options.SharedSubscriptionGroup))
            subscribe = subscribe.WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        var result = await _client.SubscribeAsync(subscribe.Build(), cancellationToken).ConfigureAwait(false);
        var refused = result.Items.Where(i => i.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2).ToList();
        if (refused.Count > 0)
            throw new InvalidOperationException(
                $"broker refused subscriptions: {string.Join(", ", refused.Select(i => $"{i.TopicFilter.Topic} ({i.ResultCode})"))}");
        Connected?.Invoke(false);
    }

    private async Task SuperviseAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ReconnectInterval, stopping).ConfigureAwait(false);
                if (await _client.TryPingAsync(stopping).ConfigureAwait(false)) continue;
                _logger.LogWarning("Lost the connection to {Host}:{Port}; reconnecting", _options.Host, _options.Port);
                await ConnectAndSubscribeAsync(stopping).ConfigureAwait(false);
                _logger.LogInformation("Reconnected to {Host}:{Port}", _options.Host, _options.Port);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Reconnect to {Host}:{Port} failed; retrying in {Interval}", _options.Host, _options.Port, _options.ReconnectInterval);
            }
        }
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // The publisher is unknown behind a broker; the topic names the device and the broker ACL vouches for it.
        _router.Route(e.ApplicationMessage.Topic, null, e.ApplicationMessage.Payload);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Leaves the group and disconnects. Mosquitto keeps handing an offline member with a live session its share of the
    /// group's messages (queued until the session expires), so a node that stops would take a share of the device
    /// traffic
    /// with it: it unsubscribes first (messages already on their way still arrive and are acknowledged), then ends its
    /// session with a session expiry of 0 (SharedSubscriptionFailoverTests).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_abandoned) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_supervisor is not null) await _supervisor.ConfigureAwait(false);
        try
        {
            if (_client.IsConnected)
            {
                var leave = new MqttClientUnsubscribeOptionsBuilder();
                foreach (var filter in SharedSubscriptionFilters.For(_options.SharedSubscriptionGroup))
                    leave = leave.WithTopicFilter(filter);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _client.UnsubscribeAsync(leave.Build(), timeout.Token).ConfigureAwait(false);
                await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder()
                    .WithSessionExpiryInterval(0).Build(), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The broker went away first: its session expiry (ExternalBrokerOptions.SessionExpirySeconds) applies.
            _logger.LogWarning(e, "Could not leave the shared-subscription group cleanly on {Host}:{Port}",
                _options.Host, _options.Port);
        }
        finally
        {
            _client.Dispose();
            _stopping.Dispose();
        }
    }

    /// <summary>
    /// Drops the connection without UNSUBSCRIBE or DISCONNECT, as a killed process would (for tests): the broker keeps
    /// the session for <see cref="ExternalBrokerOptions.SessionExpirySeconds"/>.
    /// </summary>
    internal async Task AbandonAsync()
    {
        _abandoned = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_supervisor is not null) await _supervisor.ConfigureAwait(false);
        _client.Dispose();
    }
}
