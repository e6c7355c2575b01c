using System.Net;

namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// A request body read from a stream in 64 KB pieces, reporting the bytes sent so far (the upload bar).
/// </summary>
internal sealed class ProgressStreamContent(Stream source, IProgress<long>? progress) : HttpContent
{
    private const int PieceSize = 64 * 1024;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None).ConfigureAwait(false);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context,
        CancellationToken cancellationToken)
    {
        var buffer = new byte[PieceSize];
        long sent = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            sent += read;
            progress?.Report(sent);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = source.CanSeek ? source.Length : -1;
        return source.CanSeek;
    }
}
