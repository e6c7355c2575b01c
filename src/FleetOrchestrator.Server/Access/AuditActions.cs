namespace FleetOrchestrator.Server.Access;

/// <summary>The one rule for matching an audit action filter, shared by every <see cref="IAuditLog"/>.</summary>
public static class AuditActions
{
    public const string SignIn = "sign-in";

    /// <summary>An action matches itself and names under it: <c>rollouts</c> matches <c>rollouts.pause</c>.</summary>
    public static bool Matches(string action, string filter) =>
        action == filter || action.StartsWith(filter + ".", StringComparison.Ordinal);
}
