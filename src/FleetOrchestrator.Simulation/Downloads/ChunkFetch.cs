namespace FleetOrchestrator.Simulation.Downloads;

/// <summary>How one ranged request ended.</summary>
public enum ChunkFetchStatus
{
    Ok,
    /// <summary>Transient: network error, timeout, 5xx. Worth retrying from the same offset.</summary>
    Retryable,
    /// <summary>Will not get better by retrying: 401, 403, 404, 416.</summary>
    Refused,
    /// <summary>The server sent more than the manifest's size (an attack or a bug, PROTOCOL.md §5).</summary>
    Oversized,
}

/// <summary>Bytes of one chunk, or why there are none.</summary>
/// <param name="Bytes">The chunk; a view into the fetcher's buffer, valid until its next fetch (the device's RAM buffer).</param>
public readonly record struct ChunkFetch(ChunkFetchStatus Status, Memory<byte> Bytes, string? Problem)
{
    public static ChunkFetch Ok(Memory<byte> bytes) => new(ChunkFetchStatus.Ok, bytes, null);
    public static ChunkFetch Fail(ChunkFetchStatus status, string problem) => new(status, Memory<byte>.Empty, problem);
}
