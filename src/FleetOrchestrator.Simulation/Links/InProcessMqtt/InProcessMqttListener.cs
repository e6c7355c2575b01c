using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Server;

namespace FleetOrchestrator.Simulation.Links.InProcessMqtt;

/// <summary>
/// The broker's in-process "port": an <see cref="IMqttServerAdapter"/> that MQTTnet's server runs next to its TCP
/// adapter. Each link a <see cref="InProcessMqttConnector"/> opens arrives here as an <see cref="IMqttChannelAdapter"/>
/// with MQTTnet's own packet formatter, and is handed to the server exactly as an accepted socket would be: CONNECT
/// validation, ACL interceptors, keep-alive, sessions and last wills are the broker's, unchanged.
/// </summary>
public sealed class InProcessMqttListener : IMqttServerAdapter
{
    private volatile Running? _running;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>True between the server's start and stop: links opened meanwhile are served.</summary>
    public bool IsAccepting => _running is not null;

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _running = new Running(options, logger);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting links. Links already open are closed by the server itself when it stops (as it closes accepted
    /// sockets), which ends their clients' reads.
    /// </summary>
    public Task StopAsync()
    {
        _running = null;
        return Task.CompletedTask;
    }

    /// <summary>Called by a client end's connect: starts serving <paramref name="brokerEnd"/>, or refuses as a closed port would.</summary>
    internal Task AcceptAsync(InProcessPipeChannel brokerEnd)
    {
        var running = _running;
        var handler = ClientHandler;
        if (running is null || handler is null)
            throw new IOException($"in-process MQTT connection from {brokerEnd.RemoteEndPoint} refused: the embedded broker is not running");

        // Same formatter set-up as MQTTnet's TCP listener: the protocol version is detected from CONNECT.
        var writer = new MqttBufferWriter(running.Options.WriterBufferSize, running.Options.WriterBufferSizeMax);
        var adapter = new MqttChannelAdapter(brokerEnd, new MqttPacketFormatterAdapter(writer), running.Logger)
        {
            // The channel copies every fragment into its pipe anyway; fragmentation saves MQTTnet joining them first.
            AllowPacketFragmentation = true,
        };
        // The server's handler runs for the whole life of the connection: off the connecting client's call.
        _ = Task.Run(() => ServeAsync(handler, adapter, running.Logger));
        return Task.CompletedTask;
    }

    private static async Task ServeAsync(Func<IMqttChannelAdapter, Task> handler, MqttChannelAdapter adapter, IMqttNetLogger logger)
    {
        try
        {
            await handler(adapter).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // What MQTTnet's TCP listener does with a failing connection: log it, keep the listener alive.
            logger.Publish(MqttNetLogLevel.Error, nameof(InProcessMqttListener), "Error while handling in-process client connection {0}", [adapter.RemoteEndPoint], ex);
        }
        finally
        {
            adapter.Dispose();
        }
    }

    public void Dispose() => _running = null;

    private sealed record Running(MqttServerOptions Options, IMqttNetLogger Logger);
}
