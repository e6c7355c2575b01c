using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Simulation.Tests.Support;

/// <summary>The operator API's ports, which these tests never call: an empty fleet, refused orders, every artifact in
/// use.</summary>
internal sealed class EmptyOperatorPorts : IFleetQueries, IUpdateCommands, IArtifactReferences
{
    public Task<bool> IsReferencedAsync(string artifactId, CancellationToken cancellationToken) => Task
        .FromResult(true);

    public Task<DevicePage> ListDevicesAsync(DeviceFilter filter, CancellationToken cancellationToken) =>
        Task.FromResult(new DevicePage([], 0, 0, 0));

    public IReadOnlyList<string> StateNames => [];

    public IReadOnlyList<string> OutcomeNames => [];

    public string? DescribePolicyProblem(UpdatePolicyOverrides policy) => null;

    public Task<DeviceDetail?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken) =>
        Task.FromResult<DeviceDetail?>(null);

    public Task<IReadOnlyList<UpdateDecision>> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<UpdateDecision>>([.. order.DeviceIds.Select(id => UpdateDecision.Refuse(id, "the simulation rig has no orchestrator"))]);
}
