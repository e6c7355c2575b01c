using Akka.Actor;
using Akka.Event;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Orchestration.Sharding;

/// <summary>Traffic the transport refused (malformed, wrong topic, unknown device), published on the EventStream.</summary>
public sealed record DeviceTrafficRejected(string Topic, string? ClientId, string Reason);

/// <summary>
/// The transport's inbound port, implemented by telling the device shard region. Never blocks (called on transport
/// threads); a device's messages keep their order because they all go through the one region to the one entity.
/// </summary>
public sealed class ShardedDeviceTrafficHandler(IActorRef region, EventStream? rejections = null) : IDeviceTrafficHandler
{
    public void OnEvent(string deviceId, DeviceEvent deviceEvent) => region.Tell(new DeviceEventReceived(deviceId, deviceEvent));

    public void OnState(string deviceId, DeviceStateReport state) => region.Tell(new DeviceStateReceived(deviceId, state));

    public void OnPresence(string deviceId, DevicePresence presence) => region.Tell(new DevicePresenceReceived(deviceId, presence.Online));

    public void OnRejected(string topic, string? clientId, string reason) => rejections?.Publish(new DeviceTrafficRejected(topic, clientId, reason));
}
