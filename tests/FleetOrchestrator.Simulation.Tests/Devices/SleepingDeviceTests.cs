using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static FleetOrchestrator.Simulation.Tests.Support.SimulationRig;

namespace FleetOrchestrator.Simulation.Tests.Devices;

/// <summary>
/// Devices that sleep while idle (<see cref="DevicePaging"/>): offline and disconnected with their session kept, woken
/// by a page when a command waits in it. The test plays the orchestrator and the network: it sends a command through
/// the broker, then pages.
/// </summary>
public sealed class SleepingDeviceTests(RigFixture fixture) : IClassFixture<RigFixture>
{
    private SimulationRig Rig => fixture.Rig;

    [Fact]
    public async Task An_idle_device_goes_offline_keeping_its_session_and_a_page_wakes_it_to_answer_the_queued_command()
    {
        const string id = "slp-state";
        using var paging = new DevicePaging(TimeSpan.FromMinutes(10), new FakeTimeProvider());
        var device = await Rig.StartDeviceAsync(id, paging: paging);

        paging.SleepIdleDevicesNow();
        await device.IdleAsync();
        Assert.True(device.IsAsleep);
        Assert.False(device.IsOnline);
        await Rig.Traffic.WaitFor<DevicePresence>(id, p => !p.Online);
        await WaitUntilAsync(async () => (await Rig.Broker.Server.GetClientsAsync()).All(c => c.Id != id),
            "the broker drops the connection");
        Assert.NotNull(await Rig.Broker.Server.GetSessionAsync(id));
        Assert.Equal((0, 1), (paging.Awake, paging.Sleeps));

        await Rig.SendAsync(id, new GetState("slp-q1"));
        paging.Page(id);
        var answer = await Rig.Traffic.Answer<StateReported>(id, "slp-q1");

        Assert.Equal(V100, answer.State.RunningVersion);
        Assert.False(device.IsAsleep);
        Assert.True(device.IsOnline);
        Assert.Equal((1, 1, 2L), (paging.Awake, paging.Wakes, device.Counters.Connects));
        Assert.Equal(2, Rig.Traffic.All<DevicePresence>(id).Count(p => p.Online));
    }

    [Fact]
    public async Task A_device_sleeps_only_after_its_idle_time_without_work()
    {
        const string id = "slp-timer";
        var time = new FakeTimeProvider();
        using var paging = new DevicePaging(TimeSpan.FromSeconds(30), time);
        var device = await Rig.StartDeviceAsync(id, paging: paging);

        time.Advance(TimeSpan.FromSeconds(20)); // one sweep at 15 s: idle for 15 s only
        await device.IdleAsync();
        Assert.False(device.IsAsleep);
        Assert.True(device.IsOnline);

        // A command resets the idle time: at 30 s the device was idle for 10 s only.
        await Rig.SendAsync(id, new GetState("slp-t1"));
        await Rig.Traffic.Answer<StateReported>(id, "slp-t1");
        await device.IdleAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        await device.IdleAsync();
        Assert.False(device.IsAsleep);

        time.Advance(TimeSpan.FromSeconds(30)); // sweeps at 45 s and 60 s: idle for 40 s
        await device.IdleAsync();
        Assert.True(device.IsAsleep);
        Assert.False(device.IsOnline);
        Assert.Equal(1, paging.Sleeps);
    }

    [Fact]
    public async Task A_whole_update_goes_through_with_the_device_asleep_before_every_command()
    {
        const string id = "slp-update";
        var image = Rig.Publish(V110);
        using var paging = new DevicePaging(TimeSpan.FromMinutes(10), new FakeTimeProvider());
        var device = await Rig.StartDeviceAsync(id, paging: paging);

        await SleepThenSendAsync(device, paging, Rig.Download(id, "su-dl", image));
        Assert.Equal(image.Crc, (await Rig.Traffic.Answer<ImageStaged>(id, "su-dl")).Crc);
        await SleepThenSendAsync(device, paging, new AuthorizeSwap("su-swap", V110, image.Crc));
        var booted = await Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.CommandId == "su-swap");
        Assert.Equal((V110, ImageState.Trial), (booted.Version, booted.ImageState));
        Assert.True((await Rig.Traffic.WaitFor<HealthReported>(id)).Healthy);
        await SleepThenSendAsync(device, paging, new CommitImage("su-commit", V110));
        Assert.Equal(V110, (await Rig.Traffic.Answer<ImageCommitted>(id, "su-commit")).Version);

        var truth = device.Truth();
        Assert.Equal((V110, 2, UpdatePhase.Committed), (truth.RunningVersion, truth.ActiveBank, truth.Phase));
        Assert.Equal(3, paging.Wakes);
        var seqs = Rig.Traffic.All<DeviceEvent>(id).Select(e => e.Sequence).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Empty(Rig.Traffic.Rejected);
    }

    [Fact]
    public async Task A_page_for_an_awake_device_changes_nothing_and_unknown_ids_are_ignored()
    {
        const string id = "slp-awake";
        using var paging = new DevicePaging(TimeSpan.FromMinutes(10), new FakeTimeProvider());
        var device = await Rig.StartDeviceAsync(id, paging: paging);

        paging.Page(id);
        paging.Page("slp-nobody");
        await device.IdleAsync();

        Assert.True(device.IsOnline);
        Assert.Equal((2L, 0L, 1L), (paging.Pages, paging.Wakes, device.Counters.Connects));
    }

    private async Task SleepThenSendAsync(SimulatedDevice device, DevicePaging paging, DeviceCommand command)
    {
        await device.IdleAsync();
        paging.SleepIdleDevicesNow();
        await device.IdleAsync();
        Assert.True(device.IsAsleep, $"asleep before {command.Id}");
        await Rig.SendAsync(device.DeviceId, command);
        paging.Page(device.DeviceId);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline.Default;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting until {what}");
            await Task.Delay(20); // polling a condition with a deadline, not timing
        }
    }
}
