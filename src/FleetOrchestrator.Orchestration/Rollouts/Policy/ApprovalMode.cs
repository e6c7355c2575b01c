namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>Whether a passed wave starts the next one by itself or waits for an operator's approval.</summary>
public enum ApprovalMode { Auto, Manual }
