using System.Text.Json.Nodes;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;

/// <summary>
/// Device accounts in Mosquitto's dynamic security plugin: per device a client (user name = client id = device id,
/// password = its secret) in a role of its own (<see cref="DynamicSecurityCommands"/>). Changes apply at once, on the
/// broker every node shares: no file to copy, no SIGHUP.
/// </summary>
public sealed class MosquittoDeviceAccounts(DynamicSecurityClient client) : IBrokerDeviceAccounts
{
    /// <summary>
    /// Replaces whatever account the broker has under the id (a leftover of a revoke the broker never heard of), then
    /// creates role and client; when the client is refused the new role is deleted again, so nothing is left half-made.
    /// </summary>
    public async Task AddDeviceAsync(string deviceId, string secret, CancellationToken cancellationToken)
    {
        await RemoveDeviceAsync(deviceId, cancellationToken).ConfigureAwait(false);
        var created = await client.ExecuteAsync(
            [DynamicSecurityCommands.CreateDeviceRole(deviceId), DynamicSecurityCommands.CreateDeviceClient(deviceId, secret)],
            cancellationToken).ConfigureAwait(false);
        if (created.All(r => r.Succeeded)) return;
        if (created[0].Succeeded)
            await client.ExecuteAsync([DynamicSecurityCommands.DeleteRole(DynamicSecurityCommands.DeviceRoleName(deviceId))],
                cancellationToken).ConfigureAwait(false);
        var refused = created.First(r => !r.Succeeded);
        throw new DynamicSecurityException(
            $"Mosquitto's dynamic security plugin refused {refused.Command} for device '{deviceId}': {refused.Error}");
    }

    public async Task<bool> RemoveDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        var removed = await client.ExecuteAsync(
            [DynamicSecurityCommands.DeleteClient(deviceId),
                DynamicSecurityCommands.DeleteRole(DynamicSecurityCommands.DeviceRoleName(deviceId))],
            cancellationToken).ConfigureAwait(false);
        if (removed.FirstOrDefault(r => !r.Succeeded && !IsNotFound(r)) is { } refused)
            throw new DynamicSecurityException(
                $"Mosquitto's dynamic security plugin refused {refused.Command} for device '{deviceId}': {refused.Error}");
        return removed[0].Succeeded;
    }

    /// <summary>Clients that carry their own device role: the accounts this class made, not the admin's or the service's.</summary>
    public async Task<IReadOnlyList<string>> ListDevicesAsync(CancellationToken cancellationToken)
    {
        var listed = (await client.ExecuteAsync([DynamicSecurityCommands.ListClients()], cancellationToken)
            .ConfigureAwait(false))[0];
        if (!listed.Succeeded)
            throw new DynamicSecurityException($"Mosquitto's dynamic security plugin refused listClients: {listed.Error}");
        var devices = new List<string>();
        foreach (var entry in listed.Data?["clients"] as JsonArray ?? [])
        {
            if (entry?["username"]?.GetValue<string>() is not { } user || !WireIdentifiers.IsValidDeviceId(user)) continue;
            var roles = (entry["roles"] as JsonArray ?? []).Select(r => r?["rolename"]?.GetValue<string>());
            if (roles.Contains(DynamicSecurityCommands.DeviceRoleName(user))) devices.Add(user);
        }
        return devices;
    }

    // Mosquitto 2.0 answers "Client not found" / "Role not found".
    private static bool IsNotFound(DynamicSecurityResponse response) =>
        response.Error?.Contains("not found", StringComparison.OrdinalIgnoreCase) == true;
}
