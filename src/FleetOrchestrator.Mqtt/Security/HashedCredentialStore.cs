using System.Collections.Concurrent;
using System.Text;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// In-memory credential store: device id → <see cref="SaltedSecretHash"/>, plus one service identity for the
/// orchestrator. Devices can be added and removed while the broker runs (provisioning, decommissioning).
/// With a shared <see cref="IDeviceCredentialLookup"/>, a device not held in memory is looked up there at each
/// check; the memory then holds only devices no other node needs to know (a simulator's, in process).
/// </summary>
public sealed class HashedCredentialStore : IMqttCredentialStore
{
    private readonly ConcurrentDictionary<string, SaltedSecretHash> _devices = new(StringComparer.Ordinal);
    private readonly string _serviceUserName;
    private readonly SaltedSecretHash _serviceSecret;
    private readonly IDeviceCredentialLookup? _shared;

    public HashedCredentialStore(string serviceUserName, string serviceSecret, IDeviceCredentialLookup? shared = null)
    {
        _shared = shared;
        ArgumentException.ThrowIfNullOrEmpty(serviceUserName);
        ArgumentException.ThrowIfNullOrEmpty(serviceSecret);
        _serviceUserName = serviceUserName;
        _serviceSecret = SaltedSecretHash.Create(Encoding.UTF8.GetBytes(serviceSecret));
    }

    public string ServiceUserName => _serviceUserName;

    public int DeviceCount => _devices.Count;

    /// <summary>Registers (or re-keys) a device. The id must be a valid wire device id: it becomes a topic level.</summary>
    public void AddDevice(string deviceId, string secret)
    {
        if (WireIdentifiers.DescribeDeviceIdProblem(deviceId) is { } problem)
            throw new ArgumentException($"cannot register device '{deviceId}': {problem}", nameof(deviceId));
        if (deviceId == _serviceUserName)
            throw new ArgumentException($"device id '{deviceId}' collides with the service identity", nameof(deviceId));
        ArgumentException.ThrowIfNullOrEmpty(secret);
        _devices[deviceId] = SaltedSecretHash.Create(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Registers (or re-keys) a device from a hash kept earlier (a credential file), without its secret.</summary>
    public void AddDevice(string deviceId, SaltedSecretHash hash)
    {
        if (WireIdentifiers.DescribeDeviceIdProblem(deviceId) is { } problem)
            throw new ArgumentException($"cannot register device '{deviceId}': {problem}", nameof(deviceId));
        if (deviceId == _serviceUserName)
            throw new ArgumentException($"device id '{deviceId}' collides with the service identity", nameof(deviceId));
        ArgumentNullException.ThrowIfNull(hash);
        _devices[deviceId] = hash;
    }

    public bool ContainsDevice(string deviceId) =>
        _devices.ContainsKey(deviceId)
        || (_shared is not null && IsWireId(deviceId) && _shared.Find(deviceId) is not null);

    /// <summary>Only ids that could be stored reach the shared lookup (MQTT user names are arbitrary text).</summary>
    private static bool IsWireId(string deviceId) => WireIdentifiers.DescribeDeviceIdProblem(deviceId) is null;

    public bool RemoveDevice(string deviceId) => _devices.TryRemove(deviceId, out _);

    public CredentialCheck Verify(string userName, ReadOnlySpan<byte> secret)
    {
        if (userName == _serviceUserName)
            return _serviceSecret.Matches(secret) ? CredentialCheck.Service : CredentialCheck.BadSecret;
        if (!_devices.TryGetValue(userName, out var hash))
            hash = _shared is not null && IsWireId(userName) ? _shared.Find(userName) : null;
        if (hash is null) return CredentialCheck.UnknownUser;
        return hash.Matches(secret) ? CredentialCheck.Device : CredentialCheck.BadSecret;
    }
}
