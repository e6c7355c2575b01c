namespace FleetOrchestrator.Orchestration.Telemetry;

/// <summary>One finished step of an update saga, timed by its journaled events (<see cref="SagaSteps"/>).</summary>
public readonly record struct SagaStepTiming(string Step, DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Duration => End - Start;
}
