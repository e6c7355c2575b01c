using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using FleetOrchestrator.Server.Downloads;

namespace FleetOrchestrator.Server.Tests.Fakes;

internal sealed class InMemoryDeviceCredentials : IDeviceCredentialVerifier
{
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);

    public void Add(string deviceId, string secret) => _secrets[deviceId] = secret;

    public ValueTask<bool> VerifyAsync(string deviceId, string secret, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_secrets.TryGetValue(deviceId, out var known)
                             && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(known), Encoding.UTF8.GetBytes(secret)));
}
