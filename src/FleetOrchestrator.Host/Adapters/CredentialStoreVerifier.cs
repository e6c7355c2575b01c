using System.Text;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Server.Downloads;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>A device downloads with the same secret it uses on MQTT: one credential store serves both.</summary>
internal sealed class CredentialStoreVerifier(IMqttCredentialStore store) : IDeviceCredentialVerifier
{
    public ValueTask<bool> VerifyAsync(string deviceId, string secret, CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.Verify(deviceId, Encoding.UTF8.GetBytes(secret)) == CredentialCheck.Device);
}
