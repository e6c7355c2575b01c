using System.Text.Json;
using System.Text.Json.Serialization;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// The provisioned devices of one data directory (<c>device-credentials.json</c>): device id → salted hash of its
/// secret. Read at every start into the broker's credential store; rewritten whole and atomically on every change.
/// <c>fleet serve</c> and the offline <c>fleet devices add</c> both change it, so each change re-reads the file under
/// an exclusive lock file: neither can lose the other's entries.
/// </summary>
public sealed class DeviceCredentialFile(string path)
{
    public const string DefaultFileName = "device-credentials.json";
    private const int FormatVersion = 1;
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LockRetryInterval = TimeSpan.FromMilliseconds(25);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public static DeviceCredentialFile InDataDirectory(string dataDirectory) => new(System.IO.Path.Combine(dataDirectory, DefaultFileName));

    /// <summary>Every stored entry; an absent file is an empty fleet.</summary>
    public IReadOnlyList<StoredDeviceCredential> Load()
    {
        if (!File.Exists(Path)) return [];
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (IOException e)
        {
            throw new DeviceCredentialFileException($"{Path}: cannot be read: {e.Message}", e);
        }
        CredentialDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<CredentialDocument>(text, Json);
        }
        catch (JsonException e)
        {
            throw new DeviceCredentialFileException($"{Path}: not a device credential file (line {e.LineNumber + 1}): {e.Message}", e);
        }
        if (document is null || document.Devices is null)
            throw new DeviceCredentialFileException($"{Path}: not a device credential file (no \"devices\" list)");
        if (document.Format != FormatVersion)
            throw new DeviceCredentialFileException($"{Path}: format {document.Format} is not supported (this version reads format {FormatVersion})");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < document.Devices.Count; i++)
        {
            var entry = document.Devices[i];
            if (Describe(entry) is { } problem) throw new DeviceCredentialFileException($"{Path}: devices[{i}]: {problem}");
            if (!seen.Add(entry.DeviceId)) throw new DeviceCredentialFileException($"{Path}: devices[{i}]: device '{entry.DeviceId}' is listed twice");
        }
        return document.Devices;
    }

    /// <summary>
    /// Loads every entry into <paramref name="store"/>; returns how many. An entry under a reserved id (written before
    /// such ids were refused) is skipped, not fatal: it could never sign in as a device, and the server must still
    /// start; <c>fleet devices revoke</c> removes it.
    /// </summary>
    public int LoadInto(HashedCredentialStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        int loaded = 0;
        foreach (var entry in Load())
        {
            if (ProvisionableDeviceIds.Reserved.Contains(entry.DeviceId)) continue;
            store.AddDevice(entry.DeviceId, ToHash(entry));
            loaded++;
        }
        return loaded;
    }

    /// <summary>
    /// Adds <paramref name="deviceId"/> with the hash of <paramref name="secret"/>. False (and nothing written) when the
    /// device is already in the file.
    /// </summary>
    public bool TryAdd(string deviceId, string secret, DateTimeOffset now, out SaltedSecretHash hash)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (ProvisionableDeviceIds.DescribeProblem(deviceId) is { } problem)
            throw new ArgumentException($"'{deviceId}' cannot be a device id: {problem}", nameof(deviceId));
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var created = SaltedSecretHash.Create(System.Text.Encoding.UTF8.GetBytes(secret));
        hash = created;
        return Change(entries =>
        {
            if (entries.Any(e => e.DeviceId == deviceId)) return null;
            return [.. entries, new StoredDeviceCredential(deviceId, Convert.ToBase64String(created.Salt), Convert.ToBase64String(created.Hash), now)];
        });
    }

    /// <summary>Removes the device's entry; false when it had none.</summary>
    public bool Remove(string deviceId) =>
        Change(entries => entries.Any(e => e.DeviceId == deviceId) ? [.. entries.Where(e => e.DeviceId != deviceId)] : null);

    public static SaltedSecretHash ToHash(StoredDeviceCredential entry) =>
        SaltedSecretHash.FromStored(Convert.FromBase64String(entry.SaltBase64), Convert.FromBase64String(entry.HashBase64));

    /// <summary>Read, change, write under the lock; <paramref name="change"/> returns null for "nothing to write".</summary>
    private bool Change(Func<IReadOnlyList<StoredDeviceCredential>, IReadOnlyList<StoredDeviceCredential>?> change)
    {
        using var _ = AcquireLock();
        var updated = change(Load());
        if (updated is null) return false;
        AtomicFile.WriteAllText(Path, JsonSerializer.Serialize(new CredentialDocument(FormatVersion, [.. updated]), Json) + "\n", ownerOnly: true);
        return true;
    }

    private FileStream AcquireLock()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var lockPath = Path + ".lock";
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                // The OS releases the lock when the holder exits, even by a crash; the empty file staying behind is harmless.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(LockRetryInterval);
            }
            catch (IOException e)
            {
                throw new DeviceCredentialFileException($"{Path}: another process has held {lockPath} for {LockWait.TotalSeconds:0} s", e);
            }
        }
    }

    private static string? Describe(StoredDeviceCredential? entry)
    {
        if (entry is null) return "null entry";
        if (entry.DeviceId is null) return "deviceId is missing";
        if (WireIdentifiers.DescribeDeviceIdProblem(entry.DeviceId) is { } problem)
            return $"deviceId '{entry.DeviceId}': {problem}";
        try
        {
            ToHash(entry);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or ArgumentNullException)
        {
            return $"device '{entry.DeviceId}': saltBase64/hashBase64 are not a stored hash: {e.Message}";
        }
    }

    private sealed record CredentialDocument(int Format, List<StoredDeviceCredential> Devices);
}
