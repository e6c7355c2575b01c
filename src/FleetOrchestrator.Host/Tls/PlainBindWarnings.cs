using System.Net;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Mqtt.Configuration;

namespace FleetOrchestrator.Host.Tls;

/// <summary>
/// What the start banner and the log say when a plain listener is reachable from other machines: device secrets
/// (MQTT CONNECT, download Basic auth), operator keys and images would cross the network in clear.
/// </summary>
public static class PlainBindWarnings
{
    public static IReadOnlyList<string> For(OrchestratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        foreach (var url in options.Server.Urls.Split(';',
                     StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == "http" && !IsLoopback(uri.Host))
                warnings.Add($"HTTP on {url} is not loopback and not TLS: operator keys, device secrets and images " +
                             "cross the network in clear (use an https:// URL or --tls)");
        }
        var embedded = options.Mqtt.Embedded;
        if (options.Mqtt.Mode == MqttTransportMode.Embedded && embedded.PlainListener &&
            !IsLoopback(embedded.BindAddress))
            warnings.Add($"MQTT on {embedded.BindAddress}:{embedded.Port} is not loopback and not TLS: " +
                         "device secrets and commands cross the network in clear " +
                         "(use --tls; --mqtt-plain keeps this port open)");
        return warnings;
    }

    // Wildcards and names other than localhost count as reachable from elsewhere.
    private static bool IsLoopback(string host)
    {
        var bare = host.Trim('[', ']');
        if (string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address);
    }
}
