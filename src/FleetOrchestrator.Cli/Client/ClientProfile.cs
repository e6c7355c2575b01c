using System.Text.Json;

namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// The server and key `fleet login` keeps for later commands, and how that server's certificate was trusted at login
/// (<paramref name="Ca"/>, a full path, or <paramref name="ServerSha256"/>; neither: the system store). The file holds
/// a secret, so it is created with mode 0600 (owner read/write only) before the key is written into it.
/// </summary>
internal sealed record ClientProfile(string Server, string ApiKey, string? Ca = null, string? ServerSha256 = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static ClientProfile? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ClientProfile>(File.ReadAllText(path), Json) is { Server.Length: > 0 } p
                ? p
                : throw new ClientUsageException($"the profile {path} names no server; run fleet login again");
        }
        catch (JsonException e)
        {
            throw new ClientUsageException(
                $"the profile {path} is not valid JSON ({e.Message}); run fleet login again");
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        {
            // An existing file keeps its old mode on FileMode.Create; tighten it before the key goes in.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary,
                UnixFileMode.UserRead | UnixFileMode.UserWrite);
            JsonSerializer.Serialize(stream, this, Json);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
