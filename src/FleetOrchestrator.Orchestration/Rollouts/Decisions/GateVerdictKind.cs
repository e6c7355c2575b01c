namespace FleetOrchestrator.Orchestration.Rollouts.Decisions;

/// <summary>What a wave's gate says now.</summary>
public enum GateVerdictKind { WaitingForSample, WaitingForDevices, Soaking, AwaitingApproval, Pass, Halt }
