namespace FleetOrchestrator.Simulation.Tests.Links.InProcessHttp;

/// <summary>This process's open file descriptors, read from /proc/self/fd (Linux).</summary>
internal static class FileDescriptors
{
    public static int Open() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>Descriptors that are sockets: their link target reads <c>socket:[inode]</c>.</summary>
    public static int Sockets() =>
        Directory.GetFileSystemEntries("/proc/self/fd")
            .Count(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true;
                }
                catch (IOException)
                {
                    return false; // closed between listing and reading
                }
            });
}
