using System.Net;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Simulation.Links.InProcessHttp;
using FleetOrchestrator.Server.Tests.Support;
using FleetOrchestrator.Simulation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Simulation.Tests.Links.InProcessHttp;

/// <summary>The link is the simulator's: without its registration the server has none; with it, its limits are
/// stated up front.</summary>
public sealed class InProcessSwitchTests
{
    [Fact]
    public async Task Off_by_default_there_is_no_connector_and_only_the_tcp_address()
    {
        // The product's options have no switch for it any more.
        Assert.DoesNotContain(
            typeof(FleetServerOptions).GetProperties(), p => p.Name.Contains("InProcess", StringComparison.Ordinal));
        await using var host = await InProcessHttpServer.StartAsync(inProcessLink: false);

        Assert.Null(host.App.Services.GetService<InProcessHttpConnector>());
        Assert.Single(host.App.BoundAddresses());
    }

    [Fact]
    public async Task Registered_the_tcp_urls_are_bound_in_code_so_kestrel_overrides_nothing()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await InProcessHttpServer.StartAsync(logs: logs);

        var formats = logs.Entries.SelectMany(e => e).Where(kv => kv.Key == "{OriginalFormat}").Select(kv => kv.Value?.ToString() ?? "").ToList();
        Assert.Contains(formats, f => f.StartsWith("Now listening on", StringComparison.Ordinal));
        Assert.DoesNotContain(formats, f => f.Contains("Overriding", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["http", "http"], host.App.BoundAddresses().Select(a => a.Scheme));
    }

    [Fact]
    public async Task After_the_server_stops_a_connect_fails_instead_of_hanging()
    {
        var host = await InProcessHttpServer.StartAsync();
        var connector = host.App.Services.GetRequiredService<InProcessHttpConnector>();
        using var client = new HttpClient(connector.CreateHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        using (var healthy = await client.GetAsync(new Uri(host.BaseAddress, "/healthz")))
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        var baseAddress = host.BaseAddress;
        await host.DisposeAsync();

        using var fresh = new HttpClient(connector.CreateHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => fresh.GetAsync(new Uri(baseAddress, "/healthz")));
        Assert.Contains("no longer listening", error.ToString());
    }

    [Fact]
    public async Task Urls_that_cannot_be_bound_in_code_are_refused_at_startup_naming_the_url()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            InProcessHttpServer.StartAsync(urls: "http://127.0.0.1:0;https://127.0.0.1:0"));
        Assert.Contains("https://127.0.0.1:0", error.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "127.0.0.1", 8080)]
    [InlineData("http://[::1]:0", "[::1]", 0)]
    [InlineData("http://localhost:5000", "localhost", 5000)]
    [InlineData("http://*:9000", "*", 9000)]
    public void A_tcp_url_keeps_its_host_and_port(string url, string host, int port)
    {
        var parsed = TcpListenUrl.Parse(url);
        Assert.Equal((host, port), (parsed.Host, parsed.Port));
    }

    [Theory]
    [InlineData("127.0.0.1:8080", "not a listen URL")]
    [InlineData("http://127.0.0.1:8080/base", "has a path")]
    [InlineData("https://127.0.0.1:8443", "only http://")]
    public void A_bad_url_is_refused_saying_why(string url, string why)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TcpListenUrl.Parse(url));
        Assert.Contains(url, error.Message);
        Assert.Contains(why, error.Message);
    }
}
