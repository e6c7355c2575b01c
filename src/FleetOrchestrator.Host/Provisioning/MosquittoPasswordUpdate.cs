using FleetOrchestrator.Mqtt.Mosquitto;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// Adds or replaces one user's line in a Mosquitto 2 <c>password_file</c> (PBKDF2-SHA512 <c>$7$</c> hashes, written
/// by <see cref="MosquittoPasswordFile"/>), keeping every other line. Mosquitto reads the file again on SIGHUP.
/// </summary>
public static class MosquittoPasswordUpdate
{
    public static void Upsert(string path, string userName, string password) =>
        Rewrite(path, userName, MosquittoPasswordFile.Line(userName, password));

    /// <summary>Removes the user's line; false when the file has none.</summary>
    public static bool Remove(string path, string userName)
    {
        if (!File.Exists(path) || !File.ReadAllLines(path).Any(l => IsLineOf(l, userName))) return false;
        Rewrite(path, userName, null);
        return true;
    }

    private static bool IsLineOf(string line, string userName) => line.StartsWith(userName + ":", StringComparison.Ordinal);

    private static void Rewrite(string path, string userName, string? newLine)
    {
        UnixFileMode? mode = File.Exists(path) && !OperatingSystem.IsWindows() ? File.GetUnixFileMode(path) : null;
        var kept = File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0 && !IsLineOf(l, userName))
            : [];
        if (newLine is not null) kept = kept.Append(newLine);
        AtomicFile.WriteAllText(path, string.Concat(kept.Select(l => l + "\n")), ownerOnly: true);
        // Keep the mode the operator gave the file (Mosquitto may read it as another user after dropping privileges).
        if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, m);
    }
}
