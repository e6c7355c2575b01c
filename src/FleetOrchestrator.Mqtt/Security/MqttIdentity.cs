namespace FleetOrchestrator.Mqtt.Security;

/// <summary>Who an authenticated MQTT connection is: one device (by id) or the orchestrator's service identity.</summary>
public sealed record MqttIdentity(string UserName, MqttIdentityKind Kind)
{
    public static MqttIdentity Device(string deviceId) => new(deviceId, MqttIdentityKind.Device);
    public static MqttIdentity Service(string userName) => new(userName, MqttIdentityKind.Service);
    public bool IsService => Kind == MqttIdentityKind.Service;
}

public enum MqttIdentityKind { Device, Service }
