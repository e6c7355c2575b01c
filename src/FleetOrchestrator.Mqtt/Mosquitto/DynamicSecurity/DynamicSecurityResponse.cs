using System.Text.Json.Nodes;

namespace FleetOrchestrator.Mqtt.Mosquitto.DynamicSecurity;

/// <summary>The plugin's answer to one command: <see cref="Error"/> is null on success; some commands return data.</summary>
public sealed record DynamicSecurityResponse(string Command, string? Error, JsonNode? Data)
{
    public bool Succeeded => Error is null;
}
