using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// Which artifacts sagas still need, from the fleet read model: a row names the artifact of the device's running or
/// last saga, and a saga that has neither finished nor never started references it. One query per delete (rare).
/// </summary>
internal sealed class FleetViewArtifactReferences(Func<IActorRef> fleetView) : IArtifactReferences
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    public async Task<bool> IsReferencedAsync(string artifactId, CancellationToken cancellationToken)
    {
        var result = await fleetView()
            .Ask<FleetQueryResult>(new QueryFleet(FleetFilter.All), AskTimeout, cancellationToken)
            .ConfigureAwait(false);
        return result.Devices.Any(row => References(row, artifactId));
    }

    internal static bool References(FleetDeviceRow row, string artifactId) =>
        string.Equals(row.TargetArtifactId, artifactId, StringComparison.Ordinal)
        && row.Phase is not (SagaPhase.None or SagaPhase.Completed);
}
