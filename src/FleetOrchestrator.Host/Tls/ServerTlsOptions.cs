namespace FleetOrchestrator.Host.Tls;

/// <summary>
/// TLS for the HTTP side (https:// URLs) and the embedded broker's MQTT-over-TLS port. With
/// <see cref="CertificatePath"/> and <see cref="KeyPath"/> (PEM) that certificate is served; without them a
/// self-signed one is generated in the data directory on first start and reused (<see cref="SelfSignedCertificate"/>).
/// </summary>
public sealed record ServerTlsOptions
{
    /// <summary>PEM certificate (the server's first, then any intermediates); null: self-signed.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>PEM private key (PKCS#8, SEC1 or PKCS#1) of the certificate; required with it.</summary>
    public string? KeyPath { get; init; }

    /// <summary>
    /// Host names and addresses a generated certificate names besides localhost, 127.0.0.1, ::1 and the machine's
    /// name (the public URL's host, say). Ignored when a certificate is given.
    /// </summary>
    public IReadOnlyList<string> SelfSignedHosts { get; init; } = [];
}
