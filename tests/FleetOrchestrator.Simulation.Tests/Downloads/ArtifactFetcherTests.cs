using System.Net;
using System.Net.Http.Headers;
using FleetOrchestrator.Simulation.Downloads;

namespace FleetOrchestrator.Simulation.Tests.Downloads;

/// <summary>
/// The device's HTTP client against servers that answer in ways ours does not (ours is covered end to end by the
/// fleet tests): a server that ignores ranges, one that sends too much, one that sends the wrong range.
/// </summary>
public sealed class ArtifactFetcherTests
{
    private const string Url = "http://artifacts.test/artifacts/a/image.bin?device=d&exp=1&sig=s";
    private static readonly byte[] Image = [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 31))];

    [Fact]
    public async Task Ranged_chunks_come_back_byte_for_byte_and_each_is_a_request_with_range_and_basic_auth()
    {
        var server = new ScriptedServer(RangeAnswer);
        var fetcher = new ArtifactFetcher(new HttpClient(server), "dev-1", "s3cret");

        var first = await fetcher.FetchAsync(Url, 0, 4096, Image.Length, CancellationToken.None);
        Assert.Equal(Image[..4096], first.Bytes.ToArray());
        var last = await fetcher.FetchAsync(Url, 8192, 1808, Image.Length, CancellationToken.None);

        Assert.Equal(ChunkFetchStatus.Ok, last.Status);
        Assert.Equal(Image[8192..], last.Bytes.ToArray());
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("bytes=8192-9999", server.Requests[1].Range);
        Assert.Equal("Basic ZGV2LTE6czNjcmV0", server.Requests[1].Authorization);
    }

    [Fact]
    public async Task A_server_that_ignores_ranges_is_downloaded_once_and_the_next_chunks_come_from_that_body()
    {
        var server = new ScriptedServer(_ => Whole(Image));
        var fetcher = new ArtifactFetcher(new HttpClient(server), "dev-1", "s3cret");

        var a = await fetcher.FetchAsync(Url, 4096, 4096, Image.Length, CancellationToken.None);
        Assert.Equal(Image[4096..8192], a.Bytes.ToArray());
        var b = await fetcher.FetchAsync(Url, 8192, 1808, Image.Length, CancellationToken.None);

        Assert.Equal(Image[8192..], b.Bytes.ToArray());
        Assert.Single(server.Requests);
        fetcher.Forget();
        await fetcher.FetchAsync(Url, 0, 4096, Image.Length, CancellationToken.None);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_whole_body_longer_than_the_manifest_says_is_refused_as_oversized()
    {
        var fetcher = new ArtifactFetcher(new HttpClient(new ScriptedServer(_ => Whole([.. Image, 0]))), "dev-1", "s3cret");

        var fetch = await fetcher.FetchAsync(Url, 0, 4096, Image.Length, CancellationToken.None);

        Assert.Equal(ChunkFetchStatus.Oversized, fetch.Status);
        Assert.Contains("longer than the manifest", fetch.Problem);
    }

    [Fact]
    public async Task A_partial_answer_for_another_offset_or_with_a_short_body_is_retried_not_written()
    {
        var wrongOffset = new ArtifactFetcher(new HttpClient(new ScriptedServer(_ => Partial(0, Image[..4096]))), "dev-1", "s3cret");
        var shortBody = new ArtifactFetcher(new HttpClient(new ScriptedServer(_ => Partial(4096, Image[4096..6000]))), "dev-1", "s3cret");

        var a = await wrongOffset.FetchAsync(Url, 4096, 4096, Image.Length, CancellationToken.None);
        var b = await shortBody.FetchAsync(Url, 4096, 4096, Image.Length, CancellationToken.None);

        Assert.Equal((ChunkFetchStatus.Retryable, ChunkFetchStatus.Retryable), (a.Status, b.Status));
        Assert.Contains("Content-Range", a.Problem);
        Assert.Contains("asked for 4096", b.Problem);
    }

    [Fact]
    public async Task Not_found_is_refused_with_the_status()
    {
        var fetcher = new ArtifactFetcher(new HttpClient(new ScriptedServer(_ => new HttpResponseMessage(HttpStatusCode.NotFound))), "dev-1", "s3cret");

        var fetch = await fetcher.FetchAsync(Url, 0, 4096, Image.Length, CancellationToken.None);

        Assert.Equal(ChunkFetchStatus.Refused, fetch.Status);
        Assert.Contains("404", fetch.Problem);
    }

    private static HttpResponseMessage RangeAnswer(HttpRequestMessage request)
    {
        var range = request.Headers.Range!.Ranges.Single();
        return Partial((int)range.From!.Value, Image[(int)range.From!.Value..((int)range.To!.Value + 1)]);
    }

    private static HttpResponseMessage Partial(int from, byte[] body)
    {
        var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, from + body.Length - 1, Image.Length);
        return response;
    }

    private static HttpResponseMessage Whole(byte[] body) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };

    /// <summary>A server whose answers a test scripts; records what each request asked for.</summary>
    private sealed class ScriptedServer(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(string? Range, string? Authorization)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Headers.Range?.ToString(), request.Headers.Authorization?.ToString()));
            return Task.FromResult(answer(request));
        }
    }
}
