using System.Buffers;
using FleetOrchestrator.Mqtt.Telemetry;
using FleetOrchestrator.Protocol.Codec;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Throttling;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Mqtt.Routing;

/// <summary>
/// Turns one device → orchestrator MQTT message into a call on <see cref="IDeviceTrafficHandler"/>: decodes the payload
/// for the topic's kind and hands the result over, or reports the message as rejected with the reason. Shared by the
/// embedded broker and the external-broker client so both transports treat bad traffic the same way. Never throws:
/// a broken payload or a throwing handler must not take a broker thread down. Every rejection reaches the handler;
/// the log gets at most <see cref="LogBurst"/> lines per client at once and one per <see cref="LogRefill"/> after that
/// (a device sending garbage in a loop wrote 600 lines in 3 s), with the count of lines held back.
/// </summary>
internal sealed class DeviceTrafficRouter(IDeviceTrafficHandler handler, ILogger logger, TimeProvider? time = null)
{
    public const int LogBurst = 5;
    public static readonly TimeSpan LogRefill = TimeSpan.FromSeconds(10);

    private readonly KeyedRateLimiter _logLimit = new(time ?? TimeProvider.System, LogBurst, LogRefill);

    /// <summary>Routes the message; false when it was rejected (already reported to the handler and the log).</summary>
    public bool Route(string topic, string? clientId, in ReadOnlySequence<byte> payload)
    {
        if (!DeviceTopics.TryParse(topic, out var deviceId, out var kind, out var problem))
        {
            Reject(topic, clientId, $"'{topic}' is not a device topic: {problem}");
            return false;
        }
        return Route(deviceId, kind, topic, clientId, payload);
    }

    public bool Route(string deviceId, DeviceTopicKind kind, string topic, string? clientId, in ReadOnlySequence<byte> payload)
    {
        MqttMetrics.MessageReceived();
        try
        {
            switch (kind)
            {
                case DeviceTopicKind.Events:
                    var evt = ProtocolCodec.DecodeEvent(payload);
                    if (!evt.IsSuccess) return Reject(topic, clientId, $"malformed event from '{deviceId}': {evt.Error.Message}");
                    handler.OnEvent(deviceId, evt.Value);
                    return true;
                case DeviceTopicKind.State:
                    // The retained state topic carries the same StateReported event a GetState answer carries on evt.
                    var state = ProtocolCodec.DecodeEvent(payload);
                    if (!state.IsSuccess) return Reject(topic, clientId, $"malformed state report from '{deviceId}': {state.Error.Message}");
                    if (state.Value is not StateReported report)
                        return Reject(topic, clientId, $"'{topic}' carries only state reports, not {state.Value.GetType().Name}");
                    handler.OnState(deviceId, report.State);
                    return true;
                case DeviceTopicKind.Status:
                    var presence = ProtocolCodec.DecodePresence(payload);
                    if (!presence.IsSuccess) return Reject(topic, clientId, $"malformed presence from '{deviceId}': {presence.Error.Message}");
                    handler.OnPresence(deviceId, presence.Value);
                    return true;
                default:
                    return Reject(topic, clientId, $"'{topic}' is a command topic: devices do not send on it");
            }
        }
        catch (Exception ex)
        {
            // A handler that throws is a bug in the handler, but the broker must keep serving everyone else.
            logger.LogError(ex, "Traffic handler failed on {Topic} from {ClientId}", topic, clientId);
            return false;
        }
    }

    /// <param name="logKey">Whose log budget this line spends: the client id by default; a connection refused before
    /// it is authenticated passes its remote address, since its client id is whatever the caller chose.</param>
    public bool Reject(string topic, string? clientId, string reason, string? logKey = null)
    {
        MqttMetrics.MessageRejected();
        var client = clientId ?? "(unknown)";
        if (_logLimit.TryAcquire(logKey ?? client, out int suppressed))
        {
            if (suppressed == 0)
                logger.LogWarning("Rejected MQTT traffic on {Topic} from {ClientId}: {Reason}", topic, client, reason);
            else
                logger.LogWarning(
                    "Rejected MQTT traffic on {Topic} from {ClientId}: {Reason} " +
                    "({Suppressed} more from it not logged)",
                    topic, client, reason, suppressed);
        }
        try
        {
            handler.OnRejected(topic, clientId, reason);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Traffic handler failed in OnRejected for {Topic}", topic);
        }
        return false;
    }
}
