using FleetOrchestrator.Firmware.Images;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>Loads a bank image (.hex or .bin) through Firmware's reader and validator, with errors that name the file.</summary>
internal static class ModelImageFiles
{
    public static bool TryLoad(string path, out byte[] image, out string error)
    {
        image = [];
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"{path}: cannot read: {e.Message}";
            return false;
        }
        var result = ImageFileReader.Read(path, content);
        if (!result.IsValid)
        {
            error = $"{path}: not a valid L072 bank image: {string.Join("; ", result.Errors)}";
            return false;
        }
        image = result.Image!.Bytes.ToArray();
        error = "";
        return true;
    }
}
