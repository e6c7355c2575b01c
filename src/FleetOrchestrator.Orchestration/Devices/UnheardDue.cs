using Akka.Actor;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>
/// Timer of a device actor that recovered with nothing journaled: if still nothing has been heard when it fires, the
/// device is asked for its state (<see cref="DeviceActorSettings.AskUnheardAfter"/>). Its own timer does not count as
/// activity: the actor still passivates when idle.
/// </summary>
public sealed class UnheardDue : INotInfluenceReceiveTimeout
{
    public static readonly UnheardDue Instance = new();
    private UnheardDue() { }
}
