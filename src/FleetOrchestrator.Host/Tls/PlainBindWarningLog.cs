using FleetOrchestrator.Host.Orchestrator;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Tls;

/// <summary>
/// Logs <see cref="PlainBindWarnings"/> once at start, for every host (the CLI also puts them in its banner).
/// </summary>
internal sealed class PlainBindWarningLog(OrchestratorOptions options, ILoggerFactory logs) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var log = logs.CreateLogger("FleetOrchestrator.Tls");
        foreach (var warning in PlainBindWarnings.For(options)) log.LogWarning("{Warning}", warning);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
