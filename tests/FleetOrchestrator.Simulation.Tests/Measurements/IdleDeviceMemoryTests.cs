using FleetOrchestrator.L072.Memory;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Fleet;
using FleetOrchestrator.Simulation.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace FleetOrchestrator.Simulation.Tests.Measurements;

// Alone: a heap measurement must not count what tests running in parallel allocate meanwhile.
[CollectionDefinition(nameof(IdleDeviceMemoryTests), DisableParallelization = true)]
public sealed class IdleDeviceMemoryCollection;

/// <summary>
/// The memory budget of issue 11 point 8: at most 16 KB per simulated device on top of the shared images, so 100,000
/// fit on one machine. Measured as the slope of the managed heap between N and 2N sleeping devices (the shared page
/// pool, the rig and the runtime cancel out), everything a device costs in this process included: the model, the
/// device's objects, its credentials and its session at the embedded broker.
/// </summary>
[Collection(nameof(IdleDeviceMemoryTests))]
public sealed class IdleDeviceMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int N = 1500;
    private const long BudgetBytes = 16 * 1024;
    private SimulationRig _rig = null!;

    public async Task InitializeAsync() => _rig = await SimulationRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task A_sleeping_device_costs_at_most_16_KB_measured_as_the_slope_from_N_to_2N_devices()
    {
        var pool = new PagePool();
        using var paging = new DevicePaging(TimeSpan.FromMinutes(10), new FakeTimeProvider());
        var environment = _rig.Environment(pool: pool, paging: paging);

        await using var first = await StartSleepingAsync("mema-", environment, paging);
        long atN = SettledHeap();
        await using var second = await StartSleepingAsync("memb-", environment, paging);
        long at2N = SettledHeap();

        long perDevice = (at2N - atN) / N;
        output.WriteLine($"managed heap: {atN / 1024} KiB at {N} sleeping devices, {at2N / 1024} KiB at {2 * N}: " +
                         $"{perDevice} bytes per device; shared page pool {pool.ContentBytes / 1024} KiB");
        Assert.Equal(0, paging.Awake);
        Assert.All(first.Devices.Concat(second.Devices), d => Assert.True(d.IsAsleep && !d.IsOnline));
        Assert.True(perDevice > 0, "the devices must cost something, or the measurement is broken");
        Assert.True(perDevice <= BudgetBytes,
            $"a sleeping device costs {perDevice} bytes, the budget is {BudgetBytes}");
    }

    /// <summary>Connects N devices (each announces itself), then puts all of them to sleep.</summary>
    private async Task<SimulatedFleet> StartSleepingAsync(
        string prefix, SimulationEnvironment environment, DevicePaging paging)
    {
        var fleet = await SimulatedFleet.StartAsync(
            new SimulatedFleetOptions { DeviceCount = N, Seed = 11, IdPrefix = prefix }, environment, _rig.Credentials);
        await fleet.IdleAsync();
        paging.SleepIdleDevicesNow();
        await fleet.IdleAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        // The broker ends its side of each connection asynchronously after the DISCONNECT.
        while ((await _rig.Broker.Server.GetClientsAsync()).Any(c => c.Id.StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the broker still holds connections of sleeping devices");
            await Task.Delay(50); // polling a condition with a deadline, not timing
        }
        return fleet;
    }

    private static long SettledHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
