using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// Runs at host start: fails fast when a port the endpoints need is not registered, and creates the secrets and
/// the artifact store now, so a generated operator key is printed at startup rather than at the first request, and
/// makes that key the first admin key (<see cref="ApiKeyVerifier.SyncBootstrapAsync"/>).
/// </summary>
internal sealed class FleetServerStartup(IServiceProvider services) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var registry = services.GetRequiredService<IServiceProviderIsService>();
        var missing = new[] { typeof(IFleetQueries), typeof(IUpdateCommands), typeof(IDeviceCredentialVerifier),
            typeof(IArtifactReferences) }
            .Where(t => !registry.IsService(t))
            .Select(t => t.Name)
            .ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"the fleet server needs these services registered by its host: {string.Join(", ", missing)} (see src/FleetOrchestrator.Server/README.md)");
        var secrets = services.GetRequiredService<ServerSecrets>();
        services.GetRequiredService<ArtifactStore>();
        await services.GetRequiredService<ApiKeyVerifier>().SyncBootstrapAsync(secrets.OperatorKey, cancellationToken)
            .ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
