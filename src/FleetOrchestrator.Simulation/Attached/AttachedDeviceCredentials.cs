namespace FleetOrchestrator.Simulation.Attached;

/// <summary>What registering a device on a running server gives back: its secret and the broker it must log in
/// to, and whether that broker port speaks TLS (the registration's <c>mqttTls</c>).</summary>
public sealed record AttachedDeviceCredentials(string Secret, string MqttHost, int MqttPort, bool MqttTls = false);
