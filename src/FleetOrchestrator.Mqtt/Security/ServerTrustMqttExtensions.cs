using MQTTnet;

namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// MQTT over TLS checked by a <see cref="ServerTrust"/>: the one way every MQTT client here turns TLS on.
/// </summary>
public static class ServerTrustMqttExtensions
{
    /// <summary>TLS to <paramref name="host"/> (the name the certificate must carry, and SNI), checked by
    /// <paramref name="trust"/>.</summary>
    public static MqttClientOptionsBuilder WithServerTrust(this MqttClientOptionsBuilder builder, string host,
        ServerTrust trust)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(trust);
        return builder.WithTlsOptions(t => t.UseTls()
            .WithTargetHost(host)
            .WithCertificateValidationHandler(e => trust.Accepts(e.Certificate, e.Chain, e.SslPolicyErrors)));
    }

    /// <summary>
    /// The trust of a broker link from its configuration: the CA file when one is named (<see
    /// cref="ServerTrust.FromCaFile"/>, which names the file when it cannot be read), else the system's store.
    /// </summary>
    public static ServerTrust BrokerTrust(string? caFile) =>
        string.IsNullOrWhiteSpace(caFile) ? ServerTrust.System : ServerTrust.FromCaFile(caFile);
}
