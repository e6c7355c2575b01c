namespace FleetOrchestrator.Server.Tests.Support;

/// <summary>One server shared by the tests of a class; artifacts are content-addressed, so tests do not disturb each other.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    internal ServerHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ServerHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
