using System.Text;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// Whole-file replacement that a crash cannot tear: the new text goes to a temporary file beside the target, is
/// flushed to disk, then renamed over it. Readers see the old file or the new one, never half of either.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text, bool ownerOnly)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.tmp-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                // Set before any byte is written, so the secret-bearing content is never readable by others.
                if (ownerOnly && !OperatingSystem.IsWindows()) File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                file.Write(Encoding.UTF8.GetBytes(text));
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
