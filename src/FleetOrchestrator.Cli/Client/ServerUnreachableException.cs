namespace FleetOrchestrator.Cli.Client;

/// <summary>No answer from the server (connection refused, DNS, timeout): exit 3.</summary>
internal sealed class ServerUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
