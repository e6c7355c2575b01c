using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Simulation.Tests.Support;

/// <summary>
/// Middleware in front of the real download endpoint: records every image request's Range header per device, and
/// can make the server fail (503) requests of one device from a byte offset on, to interrupt a transfer.
/// </summary>
internal sealed class DownloadTap
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _ranges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _failFrom = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, long), int> _failOnce = new();

    public IReadOnlyList<string> RangesOf(string deviceId) =>
        _ranges.TryGetValue(deviceId, out var q) ? [.. q] : [];

    public void FailFrom(string deviceId, long offset) => _failFrom[deviceId] = offset;

    public void StopFailing(string deviceId) => _failFrom.TryRemove(deviceId, out _);

    /// <summary>The next request of <paramref name="deviceId"/> for the range starting at <paramref name="offset"/> gets a 503, once.</summary>
    public void FailOnce(string deviceId, long offset) => _failOnce[(deviceId, offset)] = 0;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments("/artifacts") || context.Request.Query["device"].ToString() is not { Length: > 0 } device)
        {
            await next(context);
            return;
        }
        string range = context.Request.Headers.Range.ToString();
        _ranges.GetOrAdd(device, _ => new ConcurrentQueue<string>()).Enqueue(range);
        if ((_failFrom.TryGetValue(device, out long from) && FirstByte(range) >= from) || _failOnce.TryRemove((device, FirstByte(range)), out _))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        await next(context);
    }

    private static long FirstByte(string range) =>
        range.StartsWith("bytes=", StringComparison.Ordinal) && long.TryParse(range.AsSpan(6, range.IndexOf('-', StringComparison.Ordinal) - 6), out long first)
            ? first
            : 0;
}
