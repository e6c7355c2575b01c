using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Populations;

namespace FleetOrchestrator.Simulation.Attached;

/// <summary>
/// Simulated devices (the L072 model and device code of `fleet simulate`) attached to a running server over its real
/// MQTT and HTTP ports: each is provisioned through <see cref="Provision"/> (the operator API's registration, with the
/// population's tags), then connects to the broker the registration names, as a field device would.
/// </summary>
public sealed class AttachedFleet : IAsyncDisposable
{
    /// <summary>Registers one device with its tags on the server and returns its credentials.</summary>
    public delegate Task<AttachedDeviceCredentials> Provision(string deviceId, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken);

    private readonly HttpClient _http;
    private readonly List<SimulatedDevice> _devices;

    private AttachedFleet(HttpClient http, List<SimulatedDevice> devices)
    {
        _http = http;
        _devices = devices;
    }

    public IReadOnlyList<SimulatedDevice> Devices => _devices;

    public static IReadOnlyList<string> DeviceIds(AttachedFleetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Ids.Ids();
    }

    /// <summary>Provisions and starts every device; on failure the ones already started are stopped.</summary>
    /// <summary>Registrations and connections under way at once while the fleet attaches.</summary>
    public const int ProvisioningConcurrency = 16;

    public static async Task<AttachedFleet> StartAsync(AttachedFleetOptions options, Provision provision,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(provision);
        if (options.Ids.Count < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Ids.Count,
            "at least one device");
        var ids = DeviceIds(options);
        var faults = FaultAssignment.Assign(options.Faults, ids, options.Seed);
        var facts = PopulationAssignment.Assign(options.Population ?? Population.Uniform, ids, options.Seed);
        var trust = options.Tls ?? FleetOrchestrator.Mqtt.Security.ServerTrust.System;
        var fleet = new AttachedFleet(new HttpClient(trust.CreateHttpHandler()) { Timeout = TimeSpan.FromSeconds(60) },
            []);
        SimulationEnvironment? environment = null;
        try
        {
            // Registration is a round trip per device (and, with a dynsec broker, one more behind it): a few at once.
            var parallel = new ParallelOptions
            {
                MaxDegreeOfParallelism = ProvisioningConcurrency,
                CancellationToken = cancellationToken,
            };
            var credentials = new AttachedDeviceCredentials[ids.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), parallel, async (i, token) =>
                credentials[i] = await provision(ids[i], facts[ids[i]].Tags, token).ConfigureAwait(false))
                .ConfigureAwait(false);
            for (var i = 0; i < ids.Count; i++)
            {
                var id = ids[i];
                environment ??= new SimulationEnvironment
                {
                    BrokerHost = credentials[i].MqttHost,
                    BrokerPort = credentials[i].MqttPort,
                    BrokerTls = credentials[i].MqttTls ? trust : null,
                    Http = fleet._http,
                    TrustedKeys = new Dictionary<string, FleetOrchestrator.Firmware.Signing.ManifestVerificationKey>
                    {
                        [options.PublicKey.KeyId] = options.PublicKey,
                    },
                    Link = options.Link,
                    Time = double.IsPositiveInfinity(options.Speedup) ? TimeCompression.NoDelays
                        : new TimeCompression(options.Speedup),
                };
                fleet._devices.Add(new SimulatedDevice(new SimulatedDeviceOptions(id, credentials[i].Secret)
                {
                    Faults = faults[id],
                    Seed = (int)FaultAssignment.Draw(options.Seed, FaultKind.ReorderedMessages, "link/" + id),
                    Mcu = facts[id].Mcu(L072Configuration.Default),
                    InitialVersion = facts[id].StartingVersion,
                    Agent = faults[id].CrashLoop && options.CrashOnVersion is { } crash
                        ? UpdateAgentOptions.Default with { CrashesOnVersion = crash }
                        : null,
                }, environment));
            }
            await Parallel.ForEachAsync(fleet._devices, parallel,
                async (device, token) => await device.StartAsync(token).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return fleet;
    }

    /// <summary>One line of the fleet's own account: online, versions running, update phases.</summary>
    public string StateLine()
    {
        var truths = _devices.Select(d => (d.IsOnline, Truth: d.Truth())).ToList();
        var online = truths.Count(t => t.IsOnline);
        var versions = truths.GroupBy(t => t.Truth.RunningVersion?.ToString() ?? "none")
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        var phases = truths.GroupBy(t => t.Truth.Phase.ToString().ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        return $"{_devices.Count} devices: online {online}; running {string.Join(", ", versions)}; " +
               $"{string.Join(", ", phases)}";
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices) await device.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
    }
}
