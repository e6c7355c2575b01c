using System.Net;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Host.Tests.Support;

/// <summary>
/// Simulated devices provisioned over the operator API (with tags) that connect to the orchestrator's embedded broker
/// as a field device would; ready once the fleet list (the read model rollouts plan from) shows every one of them.
/// </summary>
public sealed class SimulatedFleet : IAsyncDisposable
{
    private readonly List<SimulatedDevice> _devices = [];
    private readonly HttpClient _http;

    private SimulatedFleet(ServerTrust? trust) => _http = new HttpClient(trust?.CreateHttpHandler() ?? new());

    public IReadOnlyList<SimulatedDevice> Devices => _devices;

    /// <param name="trust">How the devices check the server's TLS: MQTT when the registration says mqttTls, and
    /// https downloads. Null: plain, as before TLS.</param>
    public static async Task<SimulatedFleet> StartAsync(TestOrchestrator fleet,
        IReadOnlyDictionary<string, Dictionary<string, string>> tagsById, TimeSpan deadline, ServerTrust? trust = null)
    {
        var result = new SimulatedFleet(trust);
        var publicKey = ManifestVerificationKey.FromPem(await File.ReadAllTextAsync(fleet.PublicKeyPath));
        foreach (var (id, tags) in tagsById)
        {
            var registered = await fleet.Operator.PostJsonAsync("/api/devices", new { deviceId = id, tags });
            if (registered.Status != HttpStatusCode.Created) throw new InvalidOperationException(registered.ToString());
            var secret = registered.Body.GetProperty("secret").GetString()!;
            var device = new SimulatedDevice(new SimulatedDeviceOptions(id, secret), new SimulationEnvironment
                {
                    BrokerHost = registered.Body.GetProperty("mqttHost").GetString()!,
                    BrokerPort = registered.Body.GetProperty("mqttPort").GetInt32(),
                    BrokerTls = registered.Body.GetProperty("mqttTls").GetBoolean()
                        ? trust ?? ServerTrust.System
                        : null,
                    Http = result._http,
                    TrustedKeys = new Dictionary<string, ManifestVerificationKey> { [publicKey.KeyId] = publicKey },
                });
            result._devices.Add(device);
            await device.StartAsync();
        }
        await Poll.UntilAsync(() => fleet.Operator.GetJsonAsync("/api/devices?version=1.0.0"),
            a => a.Status == HttpStatusCode.OK && a.Body.GetProperty("total").GetInt32() == tagsById.Count, deadline,
            "every simulated device in the fleet list");
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices) await device.DisposeAsync();
        _http.Dispose();
    }
}
