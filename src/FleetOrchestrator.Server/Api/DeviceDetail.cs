using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Server.Api;

/// <summary>A device as the operator inspects it: summary, the last state it reported, its saga history, and the tags
/// an operator gave it (null: the host keeps none).</summary>
public sealed record DeviceDetail(
    DeviceSummary Summary,
    DeviceStateReport? LastState,
    IReadOnlyList<SagaHistoryEntry> History,
    IReadOnlyDictionary<string, string>? Tags = null);
