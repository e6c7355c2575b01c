using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Protocol.Topics;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>The provisioning endpoints over the credential file and the broker's store; says where the device connects.</summary>
internal sealed class RegistryProvisioning(DeviceRegistry registry, Func<(string Host, int Port)> broker) : IDeviceProvisioning
{
    public Task<DeviceRegistration?> RegisterAsync(string deviceId, CancellationToken cancellationToken)
    {
        var secret = registry.Register(deviceId);
        if (secret is null) return Task.FromResult<DeviceRegistration?>(null);
        var (host, port) = broker();
        return Task.FromResult<DeviceRegistration?>(new DeviceRegistration(deviceId, secret, host, port, DeviceTopics.Commands(deviceId)));
    }

    public Task<bool> RevokeAsync(string deviceId, CancellationToken cancellationToken) => Task.FromResult(registry.Revoke(deviceId));
}
