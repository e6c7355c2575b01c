using FleetOrchestrator.Orchestration.Devices.Events;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>What one input leads to: the events to persist (all at once) and the reply to the sender, if any.</summary>
public readonly record struct Decision(IReadOnlyList<IDeviceActorEvent> Events, object? Reply)
{
    public static readonly Decision Nothing = new([], null);
    public static Decision Of(params IDeviceActorEvent[] events) => new(events, null);
    public static Decision ReplyOnly(object reply) => new([], reply);
}

/// <summary>Transient facts the actor keeps outside the journal but the decider needs.</summary>
/// <param name="LastSeenSequence">Highest device sequence seen, persisted or not; answers at or below it are stale.</param>
/// <param name="DownloadedBytes">Last coarse progress of the current download attempt (the resume offset after a timeout).</param>
public readonly record struct DeviceContext(long LastSeenSequence, int DownloadedBytes);
