using System.Net;
using System.Text.Json;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using FleetOrchestrator.Simulation.Attached;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>
/// Registers one simulated device through the operator API. An id already registered by an earlier run, whose secret
/// only that run knew, is revoked and registered again; an id whose device is online belongs to a simulator still
/// running (its id range overlaps this one), and taking it over would cut that simulator's device off, so it is
/// refused instead.
/// </summary>
internal static class SimulatorRegistration
{
    public static async Task<AttachedDeviceCredentials> RegisterAsync(FleetApiClient api, string id,
        IReadOnlyDictionary<string, string> tags, CancellationToken ct)
    {
        JsonElement answer;
        try
        {
            answer = await api.RegisterDeviceAsync(id, tags, ct).ConfigureAwait(false);
        }
        catch (FleetApiException e) when (e.Status == HttpStatusCode.Conflict)
        {
            var device = await api.GetDeviceAsync(id, ct).ConfigureAwait(false);
            var summary = JsonText.Member(device, "summary");
            if (JsonText.Member(summary, "online").ValueKind == JsonValueKind.True)
            {
                throw new ClientUsageException(
                    $"device {id} is registered and online: another simulator's id range overlaps this one "
                    + "(give each simulator a disjoint --id-range or --id-prefix)");
            }
            await api.RevokeDeviceAsync(id, ct).ConfigureAwait(false);
            answer = await api.RegisterDeviceAsync(id, tags, ct).ConfigureAwait(false);
        }
        return new AttachedDeviceCredentials(JsonText.Of(answer, "secret"), JsonText.Of(answer, "mqttHost"),
            JsonText.Int(answer, "mqttPort"),
            answer.TryGetProperty("mqttTls", out var tls) && tls.ValueKind == System.Text.Json.JsonValueKind.True);
    }
}
