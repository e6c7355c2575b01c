namespace FleetOrchestrator.Host.Provisioning;

/// <summary>The credential file cannot be read or used; the message names the file and what is wrong where.</summary>
public sealed class DeviceCredentialFileException(string message, Exception? inner = null) : Exception(message, inner);
