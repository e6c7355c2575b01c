using System.Security.Cryptography.X509Certificates;
using FleetOrchestrator.Protocol.Tls;

namespace FleetOrchestrator.Host.Tls;

/// <summary>The certificate both TLS listeners present, where it came from, the fingerprint devices may pin.</summary>
/// <param name="Generated">True when this start created it (a self-signed one on first start).</param>
/// <param name="SelfSigned">True when it is the data directory's generated certificate (new or reused).</param>
public sealed record ServerCertificate(X509Certificate2 Certificate, string CertificatePath, bool SelfSigned,
    bool Generated)
{
    public CertificateFingerprint Fingerprint { get; } = CertificateFingerprint.Of(Certificate.RawData);
}
