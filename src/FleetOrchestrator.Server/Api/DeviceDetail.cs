using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Server.Api;

/// <summary>A device as the operator inspects it: summary, the last state it reported, and its saga history.</summary>
public sealed record DeviceDetail(
    DeviceSummary Summary,
    DeviceStateReport? LastState,
    IReadOnlyList<SagaHistoryEntry> History);
