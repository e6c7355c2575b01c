using FleetOrchestrator.Mqtt.Mosquitto;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// Adds or replaces one user's line in a Mosquitto 2 <c>password_file</c> (PBKDF2-SHA512 <c>$7$</c> hashes, written
/// by <see cref="MosquittoPasswordFile"/>), keeping every other line. Mosquitto reads the file again on SIGHUP.
/// </summary>
public static class MosquittoPasswordUpdate
{
    public static void Upsert(string path, string userName, string password)
    {
        var line = MosquittoPasswordFile.Line(userName, password);
        UnixFileMode? mode = File.Exists(path) && !OperatingSystem.IsWindows() ? File.GetUnixFileMode(path) : null;
        var kept = File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith(userName + ":", StringComparison.Ordinal))
            : [];
        AtomicFile.WriteAllText(path, string.Join('\n', kept.Append(line)) + "\n", ownerOnly: true);
        // Keep the mode the operator gave the file (Mosquitto may read it as another user after dropping privileges).
        if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, m);
    }
}
