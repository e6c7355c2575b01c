using System.Text;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Server.Downloads;

namespace FleetOrchestrator.Simulation.Tests.Support;

/// <summary>The download endpoint checks devices against the same store as the broker, as PROTOCOL.md §5 requires.</summary>
internal sealed class CredentialStoreVerifier(HashedCredentialStore store) : IDeviceCredentialVerifier
{
    public ValueTask<bool> VerifyAsync(string deviceId, string secret, CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.Verify(deviceId, Encoding.UTF8.GetBytes(secret)) == CredentialCheck.Device);
}
