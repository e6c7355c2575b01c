using Akka.Actor;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>What the saga handed to the transport.</summary>
public sealed record CommandSent(string DeviceId, DeviceCommand Command);

/// <summary>The transport port backed by a TestProbe: every command becomes a <see cref="CommandSent"/> message.</summary>
public sealed class ProbeCommandSender(IActorRef probe) : IDeviceCommandSender
{
    public ValueTask SendAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken = default)
    {
        probe.Tell(new CommandSent(deviceId, command));
        return ValueTask.CompletedTask;
    }
}
