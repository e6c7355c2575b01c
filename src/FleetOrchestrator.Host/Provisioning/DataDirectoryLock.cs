namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// Exclusive use of a data directory by one process: <c>fleet serve</c> for its whole run, the offline
/// <c>fleet devices add|revoke</c> for their change. Two servers on one directory would both append to one SQLite
/// journal and corrupt it. The lock is <see cref="FileName"/> held open with <see cref="FileShare.None"/> (an
/// <c>flock</c> on Unix), which the OS releases when the holder exits, even by a crash; the file staying behind is
/// harmless. Who holds it is written next to it (<see cref="HolderFileName"/>) so the refusal can name the process.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "fleet.lock";
    public const string HolderFileName = "fleet.lock.holder";

    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream held, string directory)
    {
        _lock = held;
        Directory = directory;
    }

    /// <summary>The locked directory (full path).</summary>
    public string Directory { get; }

    /// <summary>
    /// Locks <paramref name="dataDirectory"/> (created if absent) for <paramref name="holder"/> (e.g. "fleet serve"),
    /// or throws <see cref="DataDirectoryLockedException"/> naming the directory and, when known, the holder's pid.
    /// </summary>
    public static DataDirectoryLock Acquire(string dataDirectory, string holder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentException.ThrowIfNullOrWhiteSpace(holder);
        var directory = Path.GetFullPath(dataDirectory);
        System.IO.Directory.CreateDirectory(directory);
        var lockPath = Path.Combine(directory, FileName);
        FileStream held;
        try
        {
            held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new DataDirectoryLockedException(directory, ReadHolder(directory), e);
        }
        try
        {
            File.WriteAllText(Path.Combine(directory, HolderFileName), $"{holder} (pid {Environment.ProcessId})\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Naming the holder is a courtesy to the next process; the lock itself is what protects the directory.
        }
        return new DataDirectoryLock(held, directory);
    }

    private static string? ReadHolder(string directory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(directory, HolderFileName)).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose() => _lock.Dispose();
}
