using FleetOrchestrator.Orchestration.Devices.Events;

namespace FleetOrchestrator.Orchestration.Feed;

/// <summary>One journaled device event as the saga feed delivers it.</summary>
/// <param name="DeviceId">The device whose actor persisted it.</param>
/// <param name="SequenceNr">Its sequence number in that device's journal: a consumer that stored a higher one for the
/// device has seen it already.</param>
/// <param name="Offset">Its position in the tagged journal (ordering): store it to resume after this event.</param>
public sealed record DeviceFeedEvent(string DeviceId, long SequenceNr, long Offset, IDeviceActorEvent Event);
