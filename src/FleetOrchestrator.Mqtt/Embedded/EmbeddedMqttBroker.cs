using System.Buffers;
using System.Net;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Routing;
using FleetOrchestrator.Mqtt.Telemetry;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Protocol.Ports;
using FleetOrchestrator.Throttling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace FleetOrchestrator.Mqtt.Embedded;

/// <summary>
/// The in-process MQTT broker (MQTTnet.Server 5): authenticates every connection against an
/// <see cref="IMqttCredentialStore"/>, enforces <see cref="DeviceTopicAcl"/> on every publish and subscribe, and
/// consumes device traffic itself (in the publish interceptor) instead of subscribing to it, handing it to the
/// <see cref="IDeviceTrafficHandler"/>. Commands go out through <see cref="CommandSender"/>.
/// </summary>
public sealed class EmbeddedMqttBroker : IAsyncDisposable
{
    private readonly EmbeddedBrokerOptions _options;
    private readonly IMqttCredentialStore _credentials;
    private readonly DeviceTrafficRouter _router;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FailureBackoff _connectFailures;
    private readonly MqttServerFactory _factory = new();
    private readonly IReadOnlyList<IMqttServerAdapter> _extraListeners;
    private MqttServer? _server;
    private EmbeddedCommandSender? _sender;

    /// <param name="time">The clock of the refused-CONNECT delays and of the log rate limits (tests pass a
    /// fake).</param>
    /// <param name="extraListeners">MQTTnet server adapters the broker serves beside its TCP listener (a client in
    /// this process, say, that connects without a socket). Their connections get the same CONNECT validation, ACL
    /// and sessions as TCP ones; the server starts and stops them with itself.</param>
    public EmbeddedMqttBroker(
        EmbeddedBrokerOptions options, IMqttCredentialStore credentials, IDeviceTrafficHandler traffic,
        ILogger? logger = null, TimeProvider? time = null, IEnumerable<IMqttServerAdapter>? extraListeners = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(traffic);
        _options = options;
        _credentials = credentials;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _router = new DeviceTrafficRouter(traffic, _logger, _time);
        _connectFailures = new FailureBackoff(_time, options.ConnectFailuresBeforeDelay, options.ConnectFailureDelay,
            options.MaxConnectFailureDelay, forgetAfter: TimeSpan.FromMinutes(15));
        _extraListeners = [.. extraListeners ?? []];
    }

    /// <summary>
    /// The plain TCP port the broker listens on (the chosen one when <see cref="EmbeddedBrokerOptions.Port"/> is 0);
    /// null when <see cref="EmbeddedBrokerOptions.PlainListener"/> is off.
    /// </summary>
    public int? PlainPort { get; private set; }

    /// <summary>The MQTT-over-TLS port; null without <see cref="EmbeddedBrokerOptions.ServerCertificate"/>.</summary>
    public int? TlsPort { get; private set; }

    /// <summary>The port devices are told: the TLS one when there is one, else the plain one.</summary>
    public int Port => TlsPort ?? PlainPort ?? throw new InvalidOperationException("the broker is not started");

    public IPAddress Address => IPAddress.Parse(_options.BindAddress);

    /// <summary>Delivers commands to devices; the path (direct enqueue or broker routing) follows the options.</summary>
    public IDeviceCommandSender CommandSender => _sender ?? throw new InvalidOperationException("the broker is not started");

    internal MqttServer Server => _server ?? throw new InvalidOperationException("the broker is not started");

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_server is not null) throw new InvalidOperationException("the broker is already started");
        cancellationToken.ThrowIfCancellationRequested();
        if (!_options.PlainListener && _options.ServerCertificate is null)
            throw new InvalidOperationException("the embedded broker has neither a plain nor a TLS listener");
        // Binds exactly the configured address; port 0 lets the OS choose, read back from the listener.
        var plain = _options.PlainListener
            ? new CappedTcpMqttListener(Address, _options.Port, _options.ConnectionBacklog, _logger)
            : null;
        var tls = _options.ServerCertificate is { } certificate
            ? new CappedTcpMqttListener(Address, _options.TlsPort, _options.ConnectionBacklog, _logger, certificate,
                _options.TlsHandshakeTimeout)
            : null;
        var server = CreateServer([.. new[] { plain, tls }.OfType<CappedTcpMqttListener>()]);
        try
        {
            await server.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            server.Dispose();
            throw;
        }
        _server = server;
        PlainPort = plain?.Port;
        TlsPort = tls?.Port;
        _sender = new EmbeddedCommandSender(_server, _options, _logger);
        _server.ClientConnectedAsync += _sender.OnClientConnectedAsync;
        if (PlainPort is { } plainPort)
            _logger.LogInformation("Embedded MQTT broker listening on {Address}:{Port}", _options.BindAddress,
                plainPort);
        if (TlsPort is { } tlsPort)
            _logger.LogInformation("Embedded MQTT broker listening for TLS on {Address}:{Port}", _options.BindAddress,
                tlsPort);
    }

    private MqttServer CreateServer(IReadOnlyList<CappedTcpMqttListener> tcp)
    {
        var options = _factory.CreateServerOptionsBuilder()
            .WithMaxPendingMessagesPerClient(_options.MaxPendingMessagesPerClient)
            // Devices connect with clean start = false: QoS 1 commands queued while they are offline must survive.
            .WithPersistentSessions()
            .Build();
        // Our TCP listeners (exact bind, packet size caps, TLS) instead of MQTTnet's, plus any extra ones.
        var server = _factory.CreateMqttServer(options, [.. tcp, .. _extraListeners]);
        server.ValidatingConnectionAsync += ValidateConnectionAsync;
        server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        server.InterceptingPublishAsync += InterceptPublishAsync;
        server.ClientConnectedAsync += _ =>
        {
            MqttMetrics.Connected();
            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += _ =>
        {
            MqttMetrics.Disconnected();
            return Task.CompletedTask;
        };
        return server;
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var userName = e.UserName ?? "";
        var check = _credentials.Verify(userName, e.RawPassword ?? []);
        string? refusal = check switch
        {
            CredentialCheck.UnknownUser => $"unknown user '{userName}'",
            CredentialCheck.BadSecret => $"wrong secret for '{userName}'",
            CredentialCheck.Device when e.ClientId != userName => $"device '{userName}' connected with client id '{e.ClientId}' (must equal its user name)",
            CredentialCheck.Service when !IsServiceClientId(e.ClientId) =>
                $"service client id '{e.ClientId}' must be '{_options.ServiceUserName}' or start with '{_options.ServiceUserName}:'",
            _ => null,
        };
        if (refusal is not null)
        {
            // Unknown users get the same answer as wrong passwords: the broker does not tell outsiders which devices exist.
            e.ReasonCode = check is CredentialCheck.Device or CredentialCheck.Service
                ? MqttConnectReasonCode.ClientIdentifierNotValid
                : MqttConnectReasonCode.BadUserNameOrPassword;
            var address = AddressOf(e.RemoteEndPoint);
            // Repeated failures from one address wait longer and longer for their CONNACK: guessing secrets gets slow.
            // The wait starts before the refusal is reported, so an observer of the report knows it is running.
            var delay = _connectFailures.RecordFailure(address);
            var wait = delay > TimeSpan.Zero ? Task.Delay(delay, _time) : Task.CompletedTask;
            _router.Reject("", e.ClientId, $"connection refused from {e.RemoteEndPoint}: {refusal}", logKey: address);
            await wait.ConfigureAwait(false);
            return;
        }
        var identity = check == CredentialCheck.Service ? MqttIdentity.Service(userName) : MqttIdentity.Device(userName);
        SessionIdentity.Attach(e.SessionItems, identity);
    }

    // The port is different on every connection; the address is who keeps trying.
    private static string AddressOf(System.Net.EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4().ToString() : ip.Address.ToString(),
        null => "(unknown)",
        _ => endPoint.ToString() ?? "(unknown)",
    };

    // ':' cannot occur in a device id, so a service client id can never take over a device's session.
    private bool IsServiceClientId(string clientId) =>
        clientId == _options.ServiceUserName || clientId.StartsWith(_options.ServiceUserName + ":", StringComparison.Ordinal);

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var filter = e.TopicFilter.Topic;
        var identity = SessionIdentity.Of(e.SessionItems);
        var decision = identity is null
            ? AclDecision.Deny("subscription from a session without an authenticated identity")
            : DeviceTopicAcl.CheckSubscribe(identity, filter);
        if (!decision.Allowed)
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            _router.Reject(filter, e.ClientId, $"subscription refused: {decision.Reason}");
        }
        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        var message = e.ApplicationMessage;
        var identity = SessionIdentity.Of(e.SessionItems);
        if (identity is null)
        {
            // Only in-process code can publish without a session (InjectApplicationMessage); it is trusted.
            return;
        }
        var decision = DeviceTopicAcl.CheckPublish(identity, message.Topic);
        if (!decision.Allowed)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            _router.Reject(message.Topic, e.ClientId, $"publish refused: {decision.Reason}");
            return;
        }
        if (identity.IsService) return;

        if (!_router.Route(message.Topic, e.ClientId, message.Payload))
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
            return;
        }
        if (_options.FanOutDeviceTraffic) return;

        // Consumed in-process: skip MQTTnet's per-session routing scan. Retained presence and state still have to be
        // retained (a dashboard or a restarted orchestrator reads them), so store them directly.
        e.ProcessPublish = false;
        if (message.Retain)
        {
            await Server.UpdateRetainedMessageAsync(new MqttApplicationMessage
            {
                Topic = message.Topic,
                // The incoming buffer belongs to the connection; the retained store outlives it.
                Payload = new ReadOnlySequence<byte>(message.Payload.ToArray()),
                QualityOfServiceLevel = message.QualityOfServiceLevel,
                Retain = true,
                ContentType = message.ContentType,
                PayloadFormatIndicator = message.PayloadFormatIndicator,
            }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes the connection of <paramref name="clientId"/> (NotAuthorized, "credentials revoked"): a revoked device
    /// must not keep a session it opened with its old secret. Its reconnect is then checked against the store.
    /// False when it is not connected. Scans the connected clients once (revocation is rare).
    /// </summary>
    public async Task<bool> DisconnectClientAsync(string clientId)
    {
        var clients = await Server.GetClientsAsync().ConfigureAwait(false);
        var client = clients.FirstOrDefault(c => c.Id == clientId);
        if (client is null) return false;
        await client.DisconnectAsync(new MqttServerClientDisconnectOptions
        {
            ReasonCode = MqttDisconnectReasonCode.NotAuthorized,
            ReasonString = "credentials revoked",
        }).ConfigureAwait(false);
        return true;
    }

    public async Task StopAsync()
    {
        if (_server is null) return;
        await _server.StopAsync(_factory.CreateMqttServerStopOptionsBuilder().Build()).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null) return;
        try
        {
            if (_server.IsStarted) await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
            _server = null;
        }
    }
}
