using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// A device actor that starts with nothing journaled asks its device for its state when nothing arrives: its first
/// message may have been lost with an earlier incarnation (the sharded case: <c>LostFirstMessageSpecs</c>).
/// </summary>
public sealed class UnheardDeviceSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void An_actor_that_starts_with_nothing_journaled_and_hears_nothing_asks_the_device_once()
    {
        StartActor();
        View();
        Advance(TimeSpan.FromSeconds(9));
        ExpectNoCommand();

        Advance(TimeSpan.FromSeconds(1));

        var question = ExpectCommand<GetState>();
        Assert.StartsWith("unheard-", question.Id, StringComparison.Ordinal);
        Advance(TimeSpan.FromMinutes(1));
        ExpectNoCommand();
    }

    [Fact]
    public void An_actor_whose_device_reported_first_asks_nothing()
    {
        StartActor();
        Saga.Tell(new DeviceEventReceived(DeviceId, new StateReported(null, 1, Fleet.Report())), TestActor);
        View();

        Advance(TimeSpan.FromSeconds(30));

        ExpectNoCommand();
        Assert.Equal(1, View().EventCount);
    }

    [Fact]
    public void An_actor_that_recovers_a_journaled_device_asks_nothing()
    {
        StartActor();
        Saga.Tell(new DeviceEventReceived(DeviceId, new StateReported(null, 1, Fleet.Report())), TestActor);
        View();
        StopActor();

        StartActor();
        View();
        Advance(TimeSpan.FromSeconds(30));

        ExpectNoCommand();
    }
}
