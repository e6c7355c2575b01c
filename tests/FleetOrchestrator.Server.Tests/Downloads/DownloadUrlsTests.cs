using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Tests.Fakes;

namespace FleetOrchestrator.Server.Tests.Downloads;

/// <summary>Which base URL a download command gets while the server has not bound yet (sagas recovering at
/// start).</summary>
public sealed class DownloadUrlsTests
{
    private const string Artifact = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static readonly byte[] Secret = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    private static DownloadUrls Before(string urls, Uri? publicBaseUrl = null) => new(
        new DownloadGrants(Secret, TimeSpan.FromHours(1)),
        new FleetServerOptions { Urls = urls, PublicBaseUrl = publicBaseUrl },
        new UnboundServer());

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://localhost:5000;http://127.0.0.1:0", "http://localhost:5000/")]
    [InlineData("http://[::1]:8443", "http://[::1]:8443/")]
    [InlineData("https://ota.local:9443", "https://ota.local:9443/")]
    public void Before_the_bind_a_concrete_first_url_is_the_base(string urls, string expected)
    {
        var downloads = Before(urls);

        Assert.Equal(new Uri(expected), downloads.BaseUrl);
        Assert.StartsWith(expected, downloads.For("dev-1", Artifact).AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:0")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    [InlineData("http://unix:/tmp/fleet.sock")]
    public void Before_the_bind_a_first_url_without_a_known_address_still_refuses(string urls)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Before(urls).BaseUrl);

        Assert.Contains("has not bound", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_base_url_wins_over_the_configured_urls()
    {
        var downloads = Before("http://127.0.0.1:8080", new Uri("https://ota.example.com/fleet"));

        Assert.Equal(new Uri("https://ota.example.com/fleet"), downloads.BaseUrl);
    }
}
