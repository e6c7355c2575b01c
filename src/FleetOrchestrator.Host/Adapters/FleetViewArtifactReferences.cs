using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// Which artifacts sagas still need, from the fleet read model: a row names the artifact of the device's running or
/// last saga, and a saga that has started and not finished references it. One SQL count per delete (rare).
/// </summary>
internal sealed class FleetViewArtifactReferences(FleetReadStore fleet) : IArtifactReferences
{
    public async Task<bool> IsReferencedAsync(string artifactId, CancellationToken cancellationToken) =>
        await fleet.CountUnfinishedSagasForArtifactAsync(artifactId, cancellationToken).ConfigureAwait(false) > 0;

    /// <summary>The rule the store's query applies, for one row.</summary>
    internal static bool References(FleetDeviceRow row, string artifactId) =>
        string.Equals(row.TargetArtifactId, artifactId, StringComparison.Ordinal)
        && row.Phase is not (SagaPhase.None or SagaPhase.Completed);
}
