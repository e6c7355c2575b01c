using FleetOrchestrator.Server.InProcess;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Server.Tests.InProcess;

/// <summary>The real server with <c>AcceptInProcessConnections</c> on, TCP at 127.0.0.1:0 beside the in-process endpoint.</summary>
public sealed class InProcessServerFixture : IAsyncLifetime
{
    internal ServerHost Host { get; private set; } = null!;

    internal InProcessHttpConnector Connector => Host.App.Services.GetRequiredService<InProcessHttpConnector>();

    public async Task InitializeAsync() => Host = await ServerHost.StartAsync(o => o with { AcceptInProcessConnections = true });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
