using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Simulation.Links.InProcessHttp;
using FleetOrchestrator.Simulation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Simulation.Tests.Links.InProcessHttp;

/// <summary>
/// Device downloads through the in-process link: the same Kestrel parser, authentication, grants and range
/// handling as over TCP, with the download URL built for TCP used unchanged.
/// </summary>
public sealed class InProcessDownloadTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>, IDisposable
{
    private const int ImageSize = 96 * 1024;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly byte[] _image = SyntheticImage.Create(new SemanticVersion(3, 1, 0), size: ImageSize);
    private readonly HttpClient _inProcess = new(fixture.Connector.CreateHandler(maxConnectionsPerServer: 8)) { Timeout = Deadline };

    private InProcessHttpServer Host => fixture.Host;

    public void Dispose() => _inProcess.Dispose();

    private async Task<string> ArtifactAsync() => await Host.UploadValidAsync(_image, "3.1.0");

    private Uri UrlFor(string grantedDevice, string artifactId) =>
        Host.App.Services.GetRequiredService<DownloadUrls>().For(grantedDevice, artifactId);

    [Fact]
    public async Task A_granted_range_request_is_206_with_the_bytes_and_content_range()
    {
        var url = UrlFor(InProcessHttpServer.DeviceId, await ArtifactAsync());
        long acceptedBefore = fixture.Connector.AcceptedConnections;
        var request = InProcessHttpServer.AsDevice(HttpMethod.Get, url.ToString());
        request.Headers.Range = new RangeHeaderValue(4096, 8191);

        using var response = await _inProcess.SendAsync(request).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_image[4096..8192], await response.Content.ReadAsByteArrayAsync());
        var range = response.Content.Headers.ContentRange!;
        Assert.Equal((4096L, 8191L, (long)ImageSize), (range.From, range.To, range.Length));
        Assert.True(fixture.Connector.AcceptedConnections > acceptedBefore, "the request did not arrive through the in-process endpoint");
    }

    [Fact]
    public async Task The_whole_image_larger_than_the_pipe_threshold_arrives_intact()
    {
        Assert.True(ImageSize > InProcessConnectionListener.PauseWriterThreshold);
        var url = UrlFor(InProcessHttpServer.DeviceId, await ArtifactAsync());

        using var response = await _inProcess.SendAsync(InProcessHttpServer.AsDevice(HttpMethod.Get, url.ToString()))
            .WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_image, await response.Content.ReadAsByteArrayAsync());
    }

    public static TheoryData<string, string?, string?> Refusals => new()
    {
        { "no credentials", null, null },
        { "wrong secret", InProcessHttpServer.DeviceId, "wrong" },
        { "unknown device", "dev-9999", "whatever" },
        { "another device's grant", InProcessHttpServer.OtherDeviceId, InProcessHttpServer.OtherDeviceSecret },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_request_gets_exactly_the_answer_it_gets_over_tcp(string why, string? deviceId, string? secret)
    {
        // The grant names dev-0001; every caller here is someone else or no one.
        var url = UrlFor(InProcessHttpServer.DeviceId, await ArtifactAsync());
        HttpRequestMessage Request()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (deviceId is not null) request.Headers.Authorization = InProcessHttpServer.Basic(deviceId, secret!);
            return request;
        }

        using var overTcp = await Host.Client.SendAsync(Request()).WaitAsync(Deadline);
        using var inProcess = await _inProcess.SendAsync(Request()).WaitAsync(Deadline);

        Assert.True(overTcp.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{why}: TCP gave {overTcp.StatusCode}");
        Assert.Equal(overTcp.StatusCode, inProcess.StatusCode);
        Assert.Equal(overTcp.Headers.WwwAuthenticate.ToString(), inProcess.Headers.WwwAuthenticate.ToString());
        Assert.Equal(overTcp.Content.Headers.ContentType?.ToString(), inProcess.Content.Headers.ContentType?.ToString());
        Assert.Equal(WithoutTraceId(await overTcp.Content.ReadAsStringAsync()), WithoutTraceId(await inProcess.Content.ReadAsStringAsync()));
    }

    /// <summary>The problem's traceId names the connection, which differs by construction; everything else must match.</summary>
    private static string WithoutTraceId(string problemJson)
    {
        var problem = JsonNode.Parse(problemJson)!.AsObject();
        Assert.True(problem.Remove("traceId"), $"expected a problem with a traceId: {problemJson}");
        return problem.ToJsonString();
    }

    [Fact]
    public async Task Another_devices_grant_is_refused_403_in_process()
    {
        var url = UrlFor(InProcessHttpServer.OtherDeviceId, await ArtifactAsync());

        using var response = await _inProcess.SendAsync(InProcessHttpServer.AsDevice(HttpMethod.Get, url.ToString()))
            .WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(InProcessHttpServer.OtherDeviceId, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Fifty_sequential_requests_share_one_kept_alive_connection()
    {
        var url = UrlFor(InProcessHttpServer.DeviceId, await ArtifactAsync()).ToString();
        using var client = new HttpClient(fixture.Connector.CreateHandler()) { Timeout = Deadline };
        long before = fixture.Connector.AcceptedConnections;

        for (int i = 0; i < 50; i++)
        {
            var request = InProcessHttpServer.AsDevice(HttpMethod.Get, url);
            request.Headers.Range = new RangeHeaderValue(i * 1024, (i * 1024) + 1023);
            using var response = await client.SendAsync(request).WaitAsync(Deadline);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(_image[(i * 1024)..((i * 1024) + 1024)], await response.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(1, fixture.Connector.AcceptedConnections - before);
    }

    [Fact]
    public async Task Tcp_keeps_working_beside_it_and_stays_the_first_bound_address()
    {
        var addresses = Host.App.BoundAddresses();
        var first = addresses[0];
        Assert.Equal("127.0.0.1", first.Host);
        Assert.NotEqual(0, first.Port);
        Assert.Equal($"http://{InProcessHttpEndPoint.Name}/", addresses[^1].ToString());
        Assert.Equal(2, addresses.Count);
        Assert.Equal(first, Host.App.Services.GetRequiredService<DownloadUrls>().BaseUrl);

        var url = UrlFor(InProcessHttpServer.DeviceId, await ArtifactAsync());
        Assert.Equal(first.Authority, url.Authority);
        var tcp = Host.Client.SendAsync(InProcessHttpServer.AsDevice(HttpMethod.Get, url.ToString()));
        var inProcess = _inProcess.SendAsync(InProcessHttpServer.AsDevice(HttpMethod.Get, url.ToString()));
        var both = await Task.WhenAll(tcp, inProcess).WaitAsync(Deadline);

        foreach (var response in both)
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(_image, await response.Content.ReadAsByteArrayAsync());
            }
        }
    }

    [Fact]
    public async Task Healthz_and_the_operator_api_answer_in_process_too()
    {
        using var health = await _inProcess.GetAsync(new Uri(Host.BaseAddress, "/healthz")).WaitAsync(Deadline);
        using var refused = await _inProcess.GetAsync(new Uri(Host.BaseAddress, "/api/artifacts")).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
