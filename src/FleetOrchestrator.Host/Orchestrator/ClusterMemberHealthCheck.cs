using Akka.Actor;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// <c>/healthz</c> answers healthy only once this node is an <c>Up</c> member of its cluster: a node still joining
/// (its seeds unreachable) or already leaving cannot host sagas, so a load balancer or a container health check must
/// not count it. Written here because Akka.HealthCheck.Hosting.Web is not on this project's package mirror; the check
/// is one read of the cluster state.
/// </summary>
internal sealed class ClusterMemberHealthCheck(ActorSystem system) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        var status = cluster.SelfMember.Status;
        return Task.FromResult(status == Akka.Cluster.MemberStatus.Up
            ? HealthCheckResult.Healthy($"cluster member {cluster.SelfAddress} is up")
            : HealthCheckResult.Unhealthy(
                $"cluster member {cluster.SelfAddress} is {status.ToString().ToLowerInvariant()}, not up"));
    }
}
