namespace FleetOrchestrator.Simulation.Runs;

/// <summary>A wave's gate ending it: pass or halt, <see cref="AtSeconds"/> after the updates began.</summary>
public sealed record GateDecisionReport(double AtSeconds, string Decision, string Detail);
