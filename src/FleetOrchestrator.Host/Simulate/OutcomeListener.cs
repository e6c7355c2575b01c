using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Host.Simulate;

/// <summary>Hands every <see cref="SagaOutcome"/> published on an actor system's EventStream to a callback.</summary>
internal sealed class OutcomeListener : ReceiveActor
{
    public OutcomeListener(Action<SagaOutcome> onOutcome)
    {
        Receive<SagaOutcome>(onOutcome);
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(SagaOutcome));

    public static Props Props(Action<SagaOutcome> onOutcome) => Akka.Actor.Props.Create(() => new OutcomeListener(onOutcome));
}
