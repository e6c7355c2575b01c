namespace FleetOrchestrator.Mqtt.Security;

/// <summary>Outcome of checking a username/secret pair against an <see cref="IMqttCredentialStore"/>.</summary>
public enum CredentialCheck
{
    /// <summary>No such user: an unknown device (or a typo in the service name).</summary>
    UnknownUser,
    /// <summary>The user exists; the secret does not match.</summary>
    BadSecret,
    /// <summary>A known device presented its own secret.</summary>
    Device,
    /// <summary>The orchestrator's service identity.</summary>
    Service,
}
