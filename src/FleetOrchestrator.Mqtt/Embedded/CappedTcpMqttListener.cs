using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FleetOrchestrator.Protocol.Validation;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace FleetOrchestrator.Mqtt.Embedded;

/// <summary>
/// The broker's TCP port, in place of MQTTnet's own listener for two reasons. It binds exactly one address (MQTTnet's
/// default endpoint also listens on <c>[::]</c> whatever IPv4 address it is given, so a loopback-only broker was
/// reachable on every IPv6 interface). And every accepted socket reads through a
/// <see cref="PacketSizeCappedChannel"/>: MQTTnet's server has no inbound packet limit and would buffer a 256 MB
/// CONNECT before checking its password. With a certificate it is the MQTT-over-TLS port: every socket is wrapped in
/// an <see cref="SslStream"/> (server authentication only; devices prove themselves with their secret in CONNECT).
/// </summary>
internal sealed class CappedTcpMqttListener : IMqttServerAdapter
{
    private readonly IPAddress _address;
    private readonly int _requestedPort;
    private readonly int _backlog;
    private readonly ILogger _logger;
    private readonly X509Certificate2? _certificate;
    private readonly TimeSpan _handshakeTimeout;
    private Socket? _socket;
    private CancellationTokenSource? _stopping;

    public CappedTcpMqttListener(IPAddress address, int port, int backlog, ILogger logger,
        X509Certificate2? certificate = null, TimeSpan? handshakeTimeout = null)
    {
        _address = address;
        _requestedPort = port;
        _backlog = backlog;
        _logger = logger;
        _certificate = certificate;
        _handshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(10);
    }

    public bool UsesTls => _certificate is not null;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The port bound (the OS's choice when 0 was asked); valid after start.</summary>
    public int Port { get; private set; }

    public int MaxConnectPacketBytes { get; init; } = WireLimits.MaxConnectPacketBytes;
    public int MaxPacketBytes { get; init; } = WireLimits.MaxMqttPacketBytes;

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var socket = new Socket(_address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // An IPv6 address means IPv6 only: a dual-mode socket would also accept IPv4 nobody asked for.
            if (_address.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
            // Lets a restarted broker bind while its old connections sit in TIME_WAIT; Linux still refuses a second
            // listener on the port.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(_address, _requestedPort));
            socket.Listen(_backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _socket = socket;
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _stopping = new CancellationTokenSource();
        var token = _stopping.Token;
        _ = Task.Run(() => AcceptLoopAsync(socket, options, logger, token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket socket, MqttServerOptions options, IMqttNetLogger logger,
        CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // A client that reset before we accepted it: not the listener's problem.
                _logger.LogDebug(ex, "MQTT accept failed on {Address}:{Port}", _address, Port);
                continue;
            }
            _ = Task.Run(() => ServeAsync(client, options, logger), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket client, MqttServerOptions options, IMqttNetLogger logger)
    {
        var handler = ClientHandler;
        var remote = client.RemoteEndPoint;
        try
        {
            if (handler is null) return;
            client.NoDelay = true;
            Stream stream = new NetworkStream(client, ownsSocket: true);
            if (_certificate is not null)
            {
                var tls = await AuthenticateAsync(stream, remote).ConfigureAwait(false);
                if (tls is null) return;
                stream = tls;
            }
            var channel = new PacketSizeCappedChannel(
                new MqttTcpChannel(stream, client.LocalEndPoint, remote, null), MaxConnectPacketBytes, MaxPacketBytes,
                OnRefused);
            var writer = new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax);
            using var adapter = new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(writer), logger)
            {
                AllowPacketFragmentation = true,
            };
            await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException or IOException)
        {
            _logger.LogDebug(ex, "MQTT connection from {Remote} ended", remote);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Error while serving the MQTT connection from {Remote}", remote);
        }
        finally
        {
            client.Dispose();
        }
    }

    // A client that does not trust the certificate (or is not speaking TLS) is a debug line, not an error: on an open
    // port, scanners and misconfigured devices are routine.
    private async Task<SslStream?> AuthenticateAsync(Stream stream, EndPoint? remote)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        using var deadline = new CancellationTokenSource(_handshakeTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateRequired = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, deadline.Token).ConfigureAwait(false);
            return tls;
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            _logger.LogDebug(ex, "MQTT TLS handshake with {Remote} failed", remote);
            await tls.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    private void OnRefused(EndPoint remote, long announced, int cap) =>
        _logger.LogWarning(
            "MQTT connection from {Remote} closed: a packet announces {Announced} bytes, more than the {Cap} allowed",
            remote, announced, cap);

    public Task StopAsync()
    {
        _stopping?.Cancel();
        _socket?.Dispose();
        _socket = null;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping?.Cancel();
        _socket?.Dispose();
        _stopping?.Dispose();
        _stopping = null;
        _socket = null;
    }
}
