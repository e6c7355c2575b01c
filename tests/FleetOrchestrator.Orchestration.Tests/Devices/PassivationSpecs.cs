using Akka.Cluster.Sharding;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// Sharding's own idle passivation is off with remember-entities, so the device actor asks its parent (the shard) to
/// passivate it, but only when no saga runs. Here the test actor plays the shard.
/// </summary>
public sealed class PassivationSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(2);

    private void StartAsChildOfTheTestActor() =>
        SetSaga(ChildActorOf(DeviceActor.PropsFor(DeviceId, new DeviceActorSettings(new ProbeCommandSender(Device), PassivateIdleAfter: Idle))));

    [Fact]
    public void A_device_actor_without_a_running_saga_asks_to_be_passivated_when_idle()
    {
        StartAsChildOfTheTestActor();
        View();
        Clock.Advance(Idle);
        ExpectMsg<Passivate>();
    }

    [Fact]
    public void A_running_saga_is_never_passivated_and_a_finished_one_is()
    {
        StartAsChildOfTheTestActor();
        Saga.Tell(new StartUpdate(DeviceId, UpdateId, Fleet.Target(), Policy), TestActor);
        ExpectMsg<SagaRequestReply>();
        var check = ExpectCommand<FleetOrchestrator.Protocol.Messages.GetState>();
        Clock.Advance(Idle * 10);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Reports(Fleet.Report(running: Fleet.New), check.Id);
        Clock.Advance(Idle);
        ExpectMsg<Passivate>();
    }
}
