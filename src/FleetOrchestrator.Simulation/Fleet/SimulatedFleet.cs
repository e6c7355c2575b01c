using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Memory;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Faults;

namespace FleetOrchestrator.Simulation.Fleet;

/// <summary>
/// N simulated devices sharing one <see cref="SimulationEnvironment"/> (one page pool, one HTTP client): ids
/// dev-00001…, secrets derived from the seed and registered in the broker's credential store, faults assigned from the
/// seed, connected with bounded concurrency. Exposes each device's truth for the run's invariant checks.
/// </summary>
public sealed class SimulatedFleet : IAsyncDisposable
{
    private readonly Dictionary<string, SimulatedDevice> _byId;

    private SimulatedFleet(SimulationEnvironment environment, IReadOnlyList<SimulatedDevice> devices)
    {
        Environment = environment;
        Devices = devices;
        _byId = devices.ToDictionary(d => d.DeviceId, StringComparer.Ordinal);
    }

    public SimulationEnvironment Environment { get; }
    public IReadOnlyList<SimulatedDevice> Devices { get; }
    public PagePool Pool => Environment.Pool;

    public SimulatedDevice this[string deviceId] => _byId[deviceId];

    /// <summary>The id of device number <paramref name="number"/> (1-based).</summary>
    public static string DeviceIdOf(SimulatedFleetOptions options, int number) =>
        options.IdPrefix + number.ToString(CultureInfo.InvariantCulture).PadLeft(options.IdDigits, '0');

    /// <summary>Device ids of a fleet with these options, in order.</summary>
    public static IReadOnlyList<string> DeviceIds(SimulatedFleetOptions options) =>
        [.. Enumerable.Range(1, options.DeviceCount).Select(i => DeviceIdOf(options, i))];

    /// <summary>The secret of <paramref name="deviceId"/> in a fleet seeded with <paramref name="seed"/> (same seed, same secrets).</summary>
    public static string SecretOf(long seed, string deviceId) =>
        DeviceSecrets.Derive(SHA256.HashData(Encoding.UTF8.GetBytes($"fleet-simulation-key\n{seed}")), deviceId);

    /// <summary>The faults each device of a fleet with these options carries.</summary>
    public static IReadOnlyDictionary<string, DeviceFaults> FaultsOf(SimulatedFleetOptions options, FaultSettings settings) =>
        FaultAssignment.Assign(options.Faults, DeviceIds(options), options.Seed, settings);

    /// <summary>
    /// Registers every device's credentials in <paramref name="credentials"/> (an orchestrator that restarts has a new
    /// credential store: the simulated fleet provisions itself again).
    /// </summary>
    public static void Provision(SimulatedFleetOptions options, HashedCredentialStore credentials)
    {
        foreach (var id in DeviceIds(options))
            credentials.AddDevice(id, SecretOf(options.Seed, id));
    }

    /// <summary>
    /// Creates the devices, registers their credentials in <paramref name="credentials"/>, powers them up and connects
    /// them, <see cref="SimulatedFleetOptions.ConnectConcurrency"/> at a time. On failure the devices already started
    /// are disposed and the error is thrown.
    /// </summary>
    public static async Task<SimulatedFleet> StartAsync(
        SimulatedFleetOptions options, SimulationEnvironment environment, HashedCredentialStore credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(credentials);
        if (options.DeviceCount < 1) throw new ArgumentOutOfRangeException(nameof(options), options.DeviceCount, "a fleet has at least one device");
        if (options.ConnectConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(options), options.ConnectConcurrency, "connect concurrency must be at least 1");

        var faults = FaultsOf(options, environment.FaultSettings);
        var devices = new List<SimulatedDevice>(options.DeviceCount);
        Provision(options, credentials);
        foreach (var id in DeviceIds(options))
        {
            var deviceOptions = new SimulatedDeviceOptions(id, SecretOf(options.Seed, id))
            {
                Faults = faults[id], Seed = DeviceSeed(options.Seed, id),
            };
            devices.Add(new SimulatedDevice(options.Customize?.Invoke(deviceOptions) ?? deviceOptions, environment));
        }
        var fleet = new SimulatedFleet(environment, devices);
        try
        {
            await Parallel.ForEachAsync(devices,
                new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency, CancellationToken = cancellationToken },
                async (device, ct) => await device.StartAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return fleet;
    }

    /// <summary>Every device's own account of itself, by id.</summary>
    public IReadOnlyDictionary<string, AgentReport> Truth() =>
        Devices.ToDictionary(d => d.DeviceId, d => d.Truth(), StringComparer.Ordinal);

    /// <summary>Completes when every device has handled what it received so far.</summary>
    public Task IdleAsync() => Task.WhenAll(Devices.Select(d => d.IdleAsync()));

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(Devices, new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (device, _) => await device.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static int DeviceSeed(long seed, string deviceId) =>
        (int)FaultAssignment.Draw(seed, FaultKind.ReorderedMessages, "link/" + deviceId);
}
