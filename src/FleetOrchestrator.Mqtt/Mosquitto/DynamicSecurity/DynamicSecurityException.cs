namespace FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;

/// <summary>Mosquitto's dynamic security plugin refused a command, or could not be reached to run it.</summary>
public sealed class DynamicSecurityException(string message, Exception? inner = null) : Exception(message, inner);
