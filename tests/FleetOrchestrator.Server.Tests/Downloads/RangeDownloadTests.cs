using System.Net;
using System.Net.Http.Headers;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Downloads;

/// <summary>The device download endpoint's RFC 7233 behaviour: what lets an interrupted download resume.</summary>
public sealed class RangeDownloadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int ImageSize = 96 * 1024;
    private readonly byte[] _image = TestImages.ValidBin(ImageSize, seed: 7);

    private async Task<string> GrantedUrlAsync()
    {
        var id = await fixture.Host.UploadValidAsync(_image, "2.0.0");
        return "/" + fixture.Host.Grants.Issue(ServerHost.DeviceId, id).RelativeUrl;
    }

    [Fact]
    public async Task Whole_image_comes_with_its_length_an_etag_and_range_support()
    {
        var url = await GrantedUrlAsync();
        using var response = await fixture.Host.Client.SendAsync(ServerHost.AsDevice(HttpMethod.Get, url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_image, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(ImageSize, response.Content.Headers.ContentLength);
        Assert.Contains("bytes", response.Headers.AcceptRanges);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);
    }

    [Fact]
    public async Task First_bytes_come_as_partial_content()
    {
        var url = await GrantedUrlAsync();
        var request = ServerHost.AsDevice(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(0, 127);
        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_image[..128], await response.Content.ReadAsByteArrayAsync());
        var range = response.Content.Headers.ContentRange!;
        Assert.Equal((0L, 127L, (long)ImageSize), (range.From, range.To, range.Length));
    }

    [Fact]
    public async Task A_download_interrupted_at_an_offset_resumes_from_there_and_reassembles_the_image()
    {
        var url = await GrantedUrlAsync();
        const int interruptedAt = 50_000;

        var first = ServerHost.AsDevice(HttpMethod.Get, url);
        first.Headers.Range = new RangeHeaderValue(0, interruptedAt - 1);
        using var head = await fixture.Host.Client.SendAsync(first);
        var etag = head.Headers.ETag!;

        // The resume names the ETag in If-Range: if the artifact were a different image, the server would send it whole.
        var resume = ServerHost.AsDevice(HttpMethod.Get, url);
        resume.Headers.Range = new RangeHeaderValue(interruptedAt, null);
        resume.Headers.IfRange = new RangeConditionHeaderValue(etag);
        using var tail = await fixture.Host.Client.SendAsync(resume);

        Assert.Equal(HttpStatusCode.PartialContent, tail.StatusCode);
        Assert.Equal((long)interruptedAt, tail.Content.Headers.ContentRange!.From);
        Assert.Equal((long)ImageSize - 1, tail.Content.Headers.ContentRange.To);
        var whole = (await head.Content.ReadAsByteArrayAsync()).Concat(await tail.Content.ReadAsByteArrayAsync()).ToArray();
        Assert.Equal(_image, whole);
    }

    [Theory]
    [InlineData("items=0-10")]
    [InlineData("pages=1-2")]
    public async Task A_range_in_an_unknown_unit_is_ignored_and_the_whole_image_served(string range)
    {
        var url = await GrantedUrlAsync();
        var request = ServerHost.AsDevice(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Range", range);
        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(_image, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_suffix_range_returns_the_last_bytes()
    {
        var url = await GrantedUrlAsync();
        var request = ServerHost.AsDevice(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(null, 100);
        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_image[^100..], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((long)ImageSize - 100, response.Content.Headers.ContentRange!.From);
    }

    [Fact]
    public async Task A_range_beyond_the_end_is_416_with_the_size()
    {
        var url = await GrantedUrlAsync();
        var request = ServerHost.AsDevice(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(ImageSize, null);
        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal((long)ImageSize, response.Content.Headers.ContentRange!.Length);
        Assert.False(response.Content.Headers.ContentRange.HasRange);
    }

    [Fact]
    public async Task If_range_with_another_etag_sends_the_whole_image()
    {
        var url = await GrantedUrlAsync();
        var request = ServerHost.AsDevice(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(1000, null);
        request.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"another-image\""));
        using var response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_image, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_gives_the_size_without_a_body()
    {
        var url = await GrantedUrlAsync();
        using var response = await fixture.Host.Client.SendAsync(ServerHost.AsDevice(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ImageSize, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("bytes", response.Headers.AcceptRanges);
    }
}
