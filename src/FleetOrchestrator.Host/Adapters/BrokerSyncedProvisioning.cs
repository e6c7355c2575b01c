using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// Provisioning that keeps the broker's own accounts in step (Mosquitto's dynamic security plugin): a wrapper around
/// the orchestrator's provisioning, so the credential store underneath can change without this class. A change is
/// all or nothing: a registration the broker refuses is revoked again, a revocation the broker refuses is not made,
/// and either way the caller gets <see cref="DeviceProvisioningException"/> (the API's 502).
/// </summary>
internal sealed class BrokerSyncedProvisioning(IDeviceProvisioning inner, IBrokerDeviceAccounts broker) : IDeviceProvisioning
{
    public string? DescribeDeviceIdProblem(string deviceId) => inner.DescribeDeviceIdProblem(deviceId);

    public Task<bool> SetTagsAsync(string deviceId, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken) => inner.SetTagsAsync(deviceId, tags, cancellationToken);

    public async Task<DeviceRegistration?> RegisterAsync(string deviceId, CancellationToken cancellationToken)
    {
        // The orchestrator's store first: it decides whether the id is taken (409) before the broker is touched.
        var registration = await inner.RegisterAsync(deviceId, cancellationToken).ConfigureAwait(false);
        if (registration is null) return null;
        try
        {
            await broker.AddDeviceAsync(deviceId, registration.Secret, cancellationToken).ConfigureAwait(false);
            return registration;
        }
        catch (Exception e)
        {
            // Not with the request's token: a client that hung up must not leave a credential without a broker account.
            await inner.RevokeAsync(deviceId, CancellationToken.None).ConfigureAwait(false);
            if (e is OperationCanceledException) throw;
            throw new DeviceProvisioningException(
                $"device '{deviceId}' was not provisioned: the broker did not create its account: {e.Message}", e);
        }
    }

    public async Task<bool> RevokeAsync(string deviceId, CancellationToken cancellationToken)
    {
        // The broker first: if it refuses, the device keeps both its broker account and its download credential.
        bool onBroker;
        try
        {
            onBroker = await broker.RemoveDeviceAsync(deviceId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DeviceProvisioningException(
                $"device '{deviceId}' was not revoked: the broker did not delete its account: {e.Message}", e);
        }
        return await inner.RevokeAsync(deviceId, cancellationToken).ConfigureAwait(false) || onBroker;
    }
}
