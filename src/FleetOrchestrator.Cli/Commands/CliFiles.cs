namespace FleetOrchestrator.Cli.Commands;

/// <summary>File reads for the commands, turning I/O failures into one-line messages instead of stack traces.</summary>
internal static class CliFiles
{
    public static bool TryReadBytes(string path, TextWriter error, out byte[] bytes)
    {
        try
        {
            bytes = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"cannot read '{path}': {e.Message}");
            bytes = [];
            return false;
        }
    }

    public static bool TryReadText(string path, TextWriter error, out string text)
    {
        bool ok = TryReadBytes(path, error, out var bytes);
        text = ok ? System.Text.Encoding.UTF8.GetString(bytes) : "";
        return ok;
    }

    public static bool TryWriteText(string path, string text, TextWriter error)
    {
        try
        {
            File.WriteAllText(path, text);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"cannot write '{path}': {e.Message}");
            return false;
        }
    }
}
