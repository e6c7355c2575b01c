using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.Sharding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FleetOrchestrator.Host.Tests.Orchestrator;

/// <summary>
/// The one composition (Generic Host + Akka.Hosting) that `fleet serve`, `fleet simulate` and these tests share: the
/// actor system, the broker and HTTP are hosted services of one host, started together and stopped together, and
/// the settings stated once in hocon/ reach the actor system built through the builder.
/// </summary>
public sealed class OrchestratorCompositionTests
{
    [Fact]
    public async Task The_actor_system_the_broker_and_http_share_one_lifetime()
    {
        var orchestrator = await TestOrchestrator.StartAsync();
        var host = orchestrator.Host;
        var system = host.System;
        var (brokerHost, brokerPort) = host.BrokerEndpoint;
        var http = host.HttpAddress;

        // One container: the actor system of DI is the one hosting the region and the read model.
        Assert.Same(system, host.Services.GetRequiredService<ActorSystem>());
        var registry = host.Services.GetRequiredService<ActorRegistry>();
        Assert.Equal(system.Name, registry.Get<DeviceRegion>().Path.Address.System);
        Assert.NotNull(registry.Get<FleetView>());
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s.GetType().Name == "MqttTransportService");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await orchestrator.Anonymous.GetAsync("/healthz")).StatusCode);
        using (var probe = new TcpClient())
            await probe.ConnectAsync(brokerHost, brokerPort).WaitAsync(TimeSpan.FromSeconds(10));

        await orchestrator.DisposeAsync();

        await system.WhenTerminated.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<SocketException>(async () =>
        {
            using var late = new TcpClient();
            await late.ConnectAsync(brokerHost, brokerPort);
        });
        using var client = new HttpClient { BaseAddress = http, Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/healthz"));
    }

    [Fact]
    public async Task The_sqlite_writer_tuning_reaches_the_actor_system_from_the_one_hocon_file()
    {
        await using var orchestrator = await TestOrchestrator.StartAsync();
        var running = orchestrator.Host.System.Settings.Config.GetConfig("akka.persistence.journal.sql");
        var stated = FleetHocon.Load("persistence-sqlite").GetConfig("akka.persistence.journal.sql");

        foreach (var key in new[] { "parallelism", "buffer-size", "batch-size" })
            Assert.Equal(stated.GetInt(key), running.GetInt(key));
        Assert.Equal(1000, running.GetInt("batch-size"));

        // The read journal's patience at a hole in the ordering (FleetPersistenceOptions.FeedGapPatience) reaches the
        // actor system on this route too: on SQLite, 10 polls of 200 ms.
        var query = orchestrator.Host.System.Settings.Config.GetConfig("akka.persistence.query.journal.sql");
        Assert.Equal(10, query.GetInt("journal-sequence-retrieval.max-tries"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), query.GetTimeSpan("journal-sequence-retrieval.query-delay"));
    }
}
