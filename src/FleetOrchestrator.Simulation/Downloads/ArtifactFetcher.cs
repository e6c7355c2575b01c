using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace FleetOrchestrator.Simulation.Downloads;

/// <summary>
/// The device's HTTP client for images (PROTOCOL.md §5): Basic auth with the device's own credentials, one
/// <c>Range: bytes=a-b</c> request per chunk. A server that ignores ranges and answers 200 with the whole image is
/// handled too: the device keeps that body and serves the following chunks from it. It never accepts more bytes than
/// the manifest's size.
/// </summary>
public sealed class ArtifactFetcher
{
    private readonly HttpClient _http;
    private readonly AuthenticationHeaderValue _auth;
    private byte[]? _wholeImage;
    private string? _wholeImageUrl;
    // Like the MCU's one RAM buffer: each chunk lands here and is written to flash before the next is fetched. A fresh
    // array per 4 KB request was a gigabyte of garbage per 10,000-device update.
    private byte[] _chunk = [];
    private Uri? _uri;
    private string? _uriText;

    /// <param name="http">Shared by every device of a fleet (one connection pool).</param>
    public ArtifactFetcher(HttpClient http, string deviceId, string secret)
    {
        _http = http;
        _auth = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));
    }

    /// <summary>Bytes [offset, offset+length) of the image at <paramref name="url"/> whose manifest says <paramref name="imageSize"/>.</summary>
    public async Task<ChunkFetch> FetchAsync(string url, int offset, int length, int imageSize, CancellationToken cancellationToken)
    {
        if (_wholeImage is not null && _wholeImageUrl == url) return Chunk(_wholeImage.AsSpan(offset, length));
        // The same URL serves every chunk of an image: parse it once.
        if (_uri is null || _uriText != url) (_uri, _uriText) = (new Uri(url, UriKind.RelativeOrAbsolute), url);
        using var request = new HttpRequestMessage(HttpMethod.Get, _uri);
        request.Headers.Authorization = _auth;
        request.Headers.Range = new RangeHeaderValue(offset, offset + length - 1);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            switch (response.StatusCode)
            {
                case HttpStatusCode.PartialContent:
                    var range = response.Content.Headers.ContentRange;
                    if (range is null || range.From != offset)
                        return ChunkFetch.Fail(ChunkFetchStatus.Retryable, $"206 for offset {offset} carried Content-Range '{range}'");
                    if (range.Length is long total && total > imageSize)
                        return ChunkFetch.Fail(ChunkFetchStatus.Oversized, $"server says the image is {total} bytes, the manifest {imageSize}");
                    var chunk = ChunkBuffer(length);
                    int got = await ReadAtMostAsync(response.Content, chunk, cancellationToken).ConfigureAwait(false);
                    return got == length
                        ? ChunkFetch.Ok(chunk)
                        : ChunkFetch.Fail(ChunkFetchStatus.Retryable, $"206 body has {got} bytes, asked for {length}");
                case HttpStatusCode.OK:
                    // No range support: the whole image. Keep it so the next chunks do not download it again.
                    var body = new byte[imageSize + 1];
                    var whole = body.AsSpan(0, await ReadAtMostAsync(response.Content, body, cancellationToken).ConfigureAwait(false)).ToArray();
                    if (whole.Length > imageSize)
                        return ChunkFetch.Fail(ChunkFetchStatus.Oversized, $"200 body is longer than the manifest's {imageSize} bytes");
                    if (whole.Length < offset + length)
                        return ChunkFetch.Fail(ChunkFetchStatus.Retryable, $"200 body has {whole.Length} bytes, the manifest says {imageSize}");
                    (_wholeImage, _wholeImageUrl) = (whole, url);
                    return Chunk(whole.AsSpan(offset, length));
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound or HttpStatusCode.RequestedRangeNotSatisfiable:
                    return ChunkFetch.Fail(ChunkFetchStatus.Refused, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} for bytes {offset}-{offset + length - 1}");
                default:
                    return ChunkFetch.Fail(ChunkFetchStatus.Retryable, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
        catch (HttpRequestException e)
        {
            return ChunkFetch.Fail(ChunkFetchStatus.Retryable, $"HTTP GET failed: {e.Message}");
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return ChunkFetch.Fail(ChunkFetchStatus.Retryable, $"HTTP GET timed out: {e.Message}");
        }
    }

    /// <summary>Forgets a whole image kept from a 200 answer (a new download starts clean).</summary>
    public void Forget() => (_wholeImage, _wholeImageUrl) = (null, null);

    /// <summary>Drops the chunk buffer and the parsed URL too (a sleeping device holds nothing between
    /// downloads).</summary>
    public void ReleaseBuffers()
    {
        Forget();
        (_chunk, _uri, _uriText) = ([], null, null);
    }

    /// <summary>The first <paramref name="length"/> bytes of the one chunk buffer, grown when a chunk is larger.</summary>
    private Memory<byte> ChunkBuffer(int length)
    {
        if (_chunk.Length < length) _chunk = new byte[length];
        return _chunk.AsMemory(0, length);
    }

    private ChunkFetch Chunk(ReadOnlySpan<byte> bytes)
    {
        var chunk = ChunkBuffer(bytes.Length);
        bytes.CopyTo(chunk.Span);
        return ChunkFetch.Ok(chunk);
    }

    /// <summary>Reads the body into <paramref name="buffer"/> until it is full or the body ends; returns the bytes read.</summary>
    private static async Task<int> ReadAtMostAsync(HttpContent content, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[read..], cancellationToken).ConfigureAwait(false);
            if (n == 0) break;
            read += n;
        }
        return read;
    }
}
