using Microsoft.Extensions.Hosting;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// The host's lifetime when the orchestrator runs inside a command that handles Ctrl+C and SIGTERM itself
/// (<see cref="OrchestratorOptions.HandleTerminationSignals"/> false): unlike the console lifetime it takes no signal.
/// </summary>
internal sealed class SignalFreeHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
