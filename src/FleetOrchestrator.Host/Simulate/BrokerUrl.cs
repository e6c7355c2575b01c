using FleetOrchestrator.Mqtt.Configuration;

namespace FleetOrchestrator.Host.Simulate;

/// <summary>
/// `--broker mqtt://USER:PASSWORD@HOST:PORT`: an external broker where the orchestrator logs in as USER and every
/// simulated device as itself (its credentials must be provisioned there; `fleet simulate` prints them with
/// --write-mosquitto-files). `--broker embedded` is the default in-process MQTTnet broker.
/// </summary>
public sealed record BrokerUrl(string Host, int Port, string UserName, string Password)
{
    public static BrokerUrl? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Equals("embedded", StringComparison.OrdinalIgnoreCase)) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != "mqtt")
            throw new FormatException($"--broker '{text}' is not 'embedded' or a URL like mqtt://fleet-orchestrator:SECRET@127.0.0.1:1883");
        var userInfo = Uri.UnescapeDataString(uri.UserInfo);
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new FormatException($"--broker '{text}' needs the orchestrator's credentials: mqtt://USER:PASSWORD@HOST:PORT");
        return new BrokerUrl(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? 1883 : uri.Port, userInfo[..colon], userInfo[(colon + 1)..]);
    }

    public ExternalBrokerOptions ToOptions() => new() { Host = Host, Port = Port, UserName = UserName, Password = Password };

    public override string ToString() => $"mqtt://{UserName}:***@{Host}:{Port}";
}
