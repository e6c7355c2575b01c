using System.Net;
using System.Net.Http.Headers;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Simulation.Tests.Support;

namespace FleetOrchestrator.Simulation.Tests.Links.InProcessHttp;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FileDescriptorCollection
{
    /// <summary>Descriptor counts are process-wide: these tests run alone, after the parallel ones.</summary>
    public const string Name = "file descriptors";
}

/// <summary>What the link is for: many concurrent device downloads without a socket (a file descriptor) per connection.</summary>
[Collection(FileDescriptorCollection.Name)]
public sealed class InProcessFileDescriptorTests(InProcessServerFixture fixture) : IClassFixture<InProcessServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly byte[] _image = SyntheticImage.Create(new SemanticVersion(4, 0, 0), size: 24 * 4096);

    private async Task<HttpResponseMessage[]> ConcurrentRangeRequestsAsync(HttpClient client, string url, int count)
    {
        var requests = Enumerable.Range(0, count).Select(i =>
        {
            var request = InProcessHttpServer.AsDevice(HttpMethod.Get, url);
            int chunk = i % 24;
            request.Headers.Range = new RangeHeaderValue(chunk * 4096, (chunk * 4096) + 4095);
            return client.SendAsync(request);
        });
        var responses = await Task.WhenAll(requests).WaitAsync(Deadline);
        for (int i = 0; i < responses.Length; i++)
        {
            int chunk = i % 24;
            Assert.Equal(HttpStatusCode.PartialContent, responses[i].StatusCode);
            Assert.Equal(_image[(chunk * 4096)..((chunk * 4096) + 4096)], await responses[i].Content.ReadAsByteArrayAsync());
        }
        return responses;
    }

    [Fact]
    public async Task Five_hundred_concurrent_requests_open_no_file_descriptors()
    {
        var id = await fixture.Host.UploadValidAsync(_image, "4.0.0");
        var url = "/" + fixture.Host.Grants.Issue(InProcessHttpServer.DeviceId, id).RelativeUrl;
        using var client = new HttpClient(fixture.Connector.CreateHandler(maxConnectionsPerServer: 500)) { BaseAddress = fixture.Host.BaseAddress, Timeout = Deadline };
        int socketsBefore = FileDescriptors.Sockets();
        int openBefore = FileDescriptors.Open();
        long acceptedBefore = fixture.Connector.AcceptedConnections;

        var responses = await ConcurrentRangeRequestsAsync(client, url, 500);

        // Measured while the client still holds its pooled connections open: over TCP each would be two sockets.
        long connections = fixture.Connector.AcceptedConnections - acceptedBefore;
        int socketsAdded = FileDescriptors.Sockets() - socketsBefore;
        int openAdded = FileDescriptors.Open() - openBefore;
        foreach (var response in responses) response.Dispose();

        Assert.True(connections >= 10, $"only {connections} in-process connection(s) were opened; the test needs many to mean anything");
        Assert.True(socketsAdded <= 0, $"{socketsAdded} socket(s) were opened for {connections} in-process connection(s)");
        Assert.True(openAdded <= 4, $"{openAdded} file descriptor(s) were opened for {connections} in-process connection(s)");
    }

    [Fact]
    public async Task The_same_load_over_tcp_does_show_up_as_sockets()
    {
        // The control: proves the descriptor count above would have seen TCP connections.
        var id = await fixture.Host.UploadValidAsync(_image, "4.0.0");
        var url = "/" + fixture.Host.Grants.Issue(InProcessHttpServer.DeviceId, id).RelativeUrl;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 500, UseProxy = false }) { BaseAddress = fixture.Host.BaseAddress, Timeout = Deadline };
        int socketsBefore = FileDescriptors.Sockets();

        var responses = await ConcurrentRangeRequestsAsync(client, url, 100);

        int socketsAdded = FileDescriptors.Sockets() - socketsBefore;
        foreach (var response in responses) response.Dispose();
        Assert.True(socketsAdded >= 10, $"100 concurrent TCP requests added only {socketsAdded} socket descriptor(s)");
    }
}
