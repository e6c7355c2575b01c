using FleetOrchestrator.Mqtt.Configuration;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// Where `fleet simulate` finds its broker:
/// <list type="bullet">
/// <item>`--broker embedded` (default, <c>null</c>): the in-process MQTTnet broker;</item>
/// <item>`--broker mosquitto`: a Mosquitto the run starts itself on loopback from Debian's binary, with every simulated
/// device and the orchestrator in its password file and the fleet's ACL (<see cref="SpawnLocal"/>);</item>
/// <item>`--broker mqtt://USER:PASSWORD@HOST:PORT`: an external broker where the orchestrator logs in as USER and every
/// simulated device as itself (the devices' credentials must already be provisioned there);</item>
/// <item>`mqtts://USER:PASSWORD@HOST:PORT` (default port 8883): the same over TLS.</item>
/// </list>
/// </summary>
public sealed record BrokerUrl(string Host, int Port, string UserName, string Password, bool SpawnLocal = false,
    bool UseTls = false)
{
    public static BrokerUrl? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Equals("embedded", StringComparison.OrdinalIgnoreCase)) return null;
        if (text.Equals("mosquitto", StringComparison.OrdinalIgnoreCase))
            return new BrokerUrl("127.0.0.1", 0, "fleet-orchestrator", Mqtt.Security.DeviceSecrets.Generate(), SpawnLocal: true);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts"))
            throw new FormatException($"--broker '{text}' is not 'embedded', 'mosquitto' or a URL like "
                + "mqtt://fleet-orchestrator:SECRET@127.0.0.1:1883 (mqtts://…:8883 for TLS)");
        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            throw new FormatException($"--broker '{Redacted(uri)}' needs the orchestrator's credentials: "
                + $"{uri.Scheme}://USER:PASSWORD@HOST:PORT");
        var tls = uri.Scheme == "mqtts";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? 8883 : 1883) : uri.Port;
        return new BrokerUrl(uri.Host, port, userInfo[..colon], userInfo[(colon + 1)..], UseTls: tls);
    }

    public ExternalBrokerOptions ToOptions() =>
        new() { Host = Host, Port = Port, UserName = UserName, Password = Password, UseTls = UseTls };

    public override string ToString() =>
        SpawnLocal ? "mosquitto (local)" : $"{(UseTls ? "mqtts" : "mqtt")}://{UserName}:***@{Host}:{Port}";

    private static string Redacted(Uri uri) => $"{uri.Scheme}://{uri.Host}:{(uri.Port < 0 ? "" : uri.Port)}";
}
