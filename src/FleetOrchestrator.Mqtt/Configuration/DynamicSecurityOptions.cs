namespace FleetOrchestrator.Mqtt.Configuration;

/// <summary>
/// How the orchestrator administers Mosquitto's dynamic security plugin: an admin client of the plugin (the user
/// <c>mosquitto_ctrl dynsec init</c> creates, role <c>admin</c>) on the same broker as <see
/// cref="ExternalBrokerOptions"/>.
/// </summary>
public sealed record DynamicSecurityOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 1883;
    public string AdminUserName { get; init; } = "";
    /// <summary>Never commit a real one: take it from an environment variable or a secret store.</summary>
    public string AdminPassword { get; init; } = "";
    /// <summary>The admin connection's client id; unique per node like <see
    /// cref="ExternalBrokerOptions.ClientId"/>.</summary>
    public string ClientId { get; init; } = "fleet-orchestrator-1-dynsec";
    public bool UseTls { get; init; }
    /// <summary>With <see cref="UseTls"/>: as <see cref="ExternalBrokerOptions.CaFile"/>.</summary>
    public string? CaFile { get; init; }
    /// <summary>How long a command waits for the plugin's answer before it counts as failed.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
