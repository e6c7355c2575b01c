namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>Who asked for an operator action and why; the event that records it carries when.</summary>
public sealed record OperatorAction(string Who, string Why)
{
    public const int MaxLength = 500;

    /// <summary>Null when the action can be recorded, otherwise why not (an audit entry must name someone).</summary>
    public string? DescribeProblem() =>
        string.IsNullOrWhiteSpace(Who) ? "who is empty (every operator action names who took it)"
        : Who.Length > 200 ? "who is longer than 200 characters"
        : Why is null ? "why is missing"
        : Why.Length > MaxLength ? $"why is longer than {MaxLength} characters"
        : null;
}
