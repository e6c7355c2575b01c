namespace FleetOrchestrator.Orchestration.ReadModel.Storage;

/// <param name="Offset">The journal ordering of the last event applied (0: nothing yet).</param>
/// <param name="EventsApplied">How many events the projection has applied since it was created.</param>
public sealed record ProjectionPosition(long Offset, long EventsApplied);
