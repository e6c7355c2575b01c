namespace FleetOrchestrator.Host.Provisioning;

/// <summary>Another process holds the data directory's <see cref="DataDirectoryLock"/>.</summary>
public sealed class DataDirectoryLockedException(string directory, string? holder, Exception? inner = null)
    : IOException(
        $"the data directory {directory} is in use by {holder ?? "another process"} " +
        $"(it holds {Path.Combine(directory, DataDirectoryLock.FileName)}); stop it or use another --data-dir",
        inner)
{
    public string Directory { get; } = directory;

    /// <summary>"fleet serve (pid 1234)" as the holder wrote it; null when unknown.</summary>
    public string? Holder { get; } = holder;
}
