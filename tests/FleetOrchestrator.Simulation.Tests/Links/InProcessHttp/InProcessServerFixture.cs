using FleetOrchestrator.Simulation.Links.InProcessHttp;
using FleetOrchestrator.Simulation.Tests.Support;

namespace FleetOrchestrator.Simulation.Tests.Links.InProcessHttp;

/// <summary>The real server with the in-process HTTP link registered, TCP at 127.0.0.1:0 beside the in-process
/// endpoint.</summary>
public sealed class InProcessServerFixture : IAsyncLifetime
{
    internal InProcessHttpServer Host { get; private set; } = null!;

    internal InProcessHttpConnector Connector => Host.Connector;

    public async Task InitializeAsync() => Host = await InProcessHttpServer.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
