namespace FleetOrchestrator.Server.Access;

/// <summary>
/// What an API key may do, each role including the one before it: a viewer reads, an operator also runs rollouts,
/// updates and uploads, an admin also manages keys and device credentials. Which role each request needs is
/// <see cref="AccessRules"/>.
/// </summary>
public enum OperatorRole
{
    Viewer = 0,
    Operator = 1,
    Admin = 2,
}
