using System.Buffers;
using System.Collections.Concurrent;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Mqtt.Telemetry;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Protocol.Validation;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace FleetOrchestrator.Mqtt.Embedded;

/// <summary>
/// Sends commands through the embedded broker. On the direct path a command is enqueued (QoS 1) straight into the
/// session whose client id is the target device id: an O(1) lookup instead of MQTTnet's routing scan over every session.
/// The ACL holds because the topic is always built from the same id as the session (and a device's session id equals
/// its authenticated user name, enforced at CONNECT). A device with no session yet gets its commands when it connects.
/// </summary>
internal sealed class EmbeddedCommandSender : IDeviceCommandSender
{
    private readonly MqttServer _server;
    private readonly EmbeddedBrokerOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<object, object> _serviceItems;
    private readonly ConcurrentDictionary<string, Queue<byte[]>> _waitingForSession = new(StringComparer.Ordinal);

    public EmbeddedCommandSender(MqttServer server, EmbeddedBrokerOptions options, ILogger logger)
    {
        _server = server;
        _options = options;
        _logger = logger;
        _serviceItems = SessionIdentity.ItemsFor(MqttIdentity.Service(options.ServiceUserName));
    }

    public async ValueTask SendAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (WireIdentifiers.DescribeDeviceIdProblem(deviceId) is { } problem)
            throw new ArgumentException($"cannot send {command.GetType().Name} '{command.Id}' to '{deviceId}': {problem}", nameof(deviceId));
        var payload = ProtocolCodec.Encode(command);
        MqttMetrics.CommandSent();

        if (_options.CommandDelivery == CommandDeliveryPath.BrokerRouting)
        {
            var injected = new InjectedMqttApplicationMessage(CommandMessage(deviceId, payload))
            {
                SenderClientId = _options.ServiceUserName,
                CustomSessionItems = _serviceItems,
            };
            await _server.InjectApplicationMessage(injected, cancellationToken).ConfigureAwait(false);
            return;
        }

        var session = await TryGetSessionAsync(deviceId).ConfigureAwait(false);
        if (session is not null)
        {
            Enqueue(session, deviceId, payload);
            return;
        }
        HoldUntilConnected(deviceId, payload);
        // The device may have connected between the lookup and the hold: flush now so nothing waits for a next connect.
        if (await TryGetSessionAsync(deviceId).ConfigureAwait(false) is { } late) Flush(late, deviceId);
    }

    internal async Task OnClientConnectedAsync(ClientConnectedEventArgs e)
    {
        if (_waitingForSession.IsEmpty || !_waitingForSession.ContainsKey(e.ClientId)) return;
        if (await TryGetSessionAsync(e.ClientId).ConfigureAwait(false) is { } session) Flush(session, e.ClientId);
    }

    /// <summary>Number of commands held for devices without a session (for diagnostics and tests).</summary>
    internal int HeldCommandCount => _waitingForSession.Values.Sum(q => { lock (q) return q.Count; });

    private async Task<MqttSessionStatus?> TryGetSessionAsync(string clientId)
    {
        try
        {
            return await _server.GetSessionAsync(clientId).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // MQTTnet 5 reports "no such session" by throwing.
            return null;
        }
    }

    private void Enqueue(MqttSessionStatus session, string deviceId, byte[] payload)
    {
        if (!session.TryEnqueueApplicationMessage(CommandMessage(deviceId, payload), out _))
            throw new InvalidOperationException(
                $"the session of device '{deviceId}' refused the command: its queue is full ({_options.MaxPendingMessagesPerClient} messages)");
    }

    private void HoldUntilConnected(string deviceId, byte[] payload)
    {
        while (true)
        {
            var queue = _waitingForSession.GetOrAdd(deviceId, _ => new Queue<byte[]>());
            lock (queue)
            {
                // A flush may have taken this queue out of the map after we got it: then it is drained, use a new one.
                if (!_waitingForSession.TryGetValue(deviceId, out var current) || !ReferenceEquals(current, queue)) continue;
                queue.Enqueue(payload);
                if (queue.Count > _options.MaxCommandsQueuedForAbsentDevice)
                {
                    queue.Dequeue();
                    _logger.LogWarning("Device {DeviceId} has no session; dropped its oldest held command (limit {Limit})",
                        deviceId, _options.MaxCommandsQueuedForAbsentDevice);
                }
                return;
            }
        }
    }

    private void Flush(MqttSessionStatus session, string deviceId)
    {
        if (!_waitingForSession.TryRemove(deviceId, out var queue)) return;
        lock (queue)
        {
            while (queue.TryDequeue(out var payload)) Enqueue(session, deviceId, payload);
        }
    }

    private static MqttApplicationMessage CommandMessage(string deviceId, byte[] payload) => new()
    {
        Topic = DeviceTopics.Commands(deviceId),
        Payload = new ReadOnlySequence<byte>(payload),
        QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
        ContentType = "application/json",
    };
}
