namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// The client verb cannot run as asked (no server configured, a bad profile, a bad argument): exit 2.
/// </summary>
internal sealed class ClientUsageException(string message) : Exception(message);
