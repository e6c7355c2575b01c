using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>The provisioning endpoints over the credential file and the broker's store; says where the device connects.</summary>
/// A revoked device that is connected is disconnected too, so it cannot keep using the session its old secret opened.
/// Tags go to the read model's device_tags (what rollouts select by); only a device with credentials takes them.
internal sealed class RegistryProvisioning(
    DeviceRegistry registry,
    Func<(string Host, int Port, bool Tls)> broker,
    Func<string, Task> disconnect,
    Func<string, bool> isProvisioned,
    FleetReadStore fleet) : IDeviceProvisioning
{
    public string? DescribeDeviceIdProblem(string deviceId) => ProvisionableDeviceIds.DescribeProblem(deviceId);

    public Task<DeviceRegistration?> RegisterAsync(string deviceId, CancellationToken cancellationToken)
    {
        var secret = registry.Register(deviceId);
        if (secret is null) return Task.FromResult<DeviceRegistration?>(null);
        var (host, port, tls) = broker();
        return Task.FromResult<DeviceRegistration?>(
            new DeviceRegistration(deviceId, secret, host, port, DeviceTopics.Commands(deviceId)) { MqttTls = tls });
    }

    public async Task<bool> SetTagsAsync(string deviceId, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken)
    {
        if (!isProvisioned(deviceId)) return false;
        await fleet.SetTagsAsync(deviceId, tags, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<bool> RevokeAsync(string deviceId, CancellationToken cancellationToken)
    {
        if (!registry.Revoke(deviceId)) return false;
        await disconnect(deviceId).ConfigureAwait(false);
        return true;
    }
}
