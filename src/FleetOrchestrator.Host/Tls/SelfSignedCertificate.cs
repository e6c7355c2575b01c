using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FleetOrchestrator.Host.Provisioning;

namespace FleetOrchestrator.Host.Tls;

/// <summary>
/// The certificate <c>fleet serve</c> makes for itself when TLS is asked for and none is given: ECDSA P-256, valid
/// five years, for localhost, 127.0.0.1, ::1, the machine's host name and any extra names. Kept in
/// <c>DATA-DIR/tls/</c> (the key readable by the owner only) and reused, so the fingerprint devices pinned stays
/// valid across restarts; delete the two files for a new one.
/// </summary>
public static class SelfSignedCertificate
{
    public const string DirectoryName = "tls";
    public const string CertificateFileName = "self-signed.crt.pem";
    public const string KeyFileName = "self-signed.key.pem";

    public static ServerCertificate LoadOrCreate(string dataDirectory, IEnumerable<string> extraHosts,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var directory = Path.Combine(Path.GetFullPath(dataDirectory), DirectoryName);
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
            return new ServerCertificate(PemCertificate.Load(certificatePath, keyPath), certificatePath, true, false);

        var hosts = new[] { "localhost", "127.0.0.1", "::1", Dns.GetHostName() }.Concat(extraHosts)
            .Where(h => !string.IsNullOrWhiteSpace(h)).Select(h => h.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=fleet serve ({hosts[3]})", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var address)) names.AddIpAddress(address);
            else names.AddDnsName(host);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = (time ?? TimeProvider.System).GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        // The key first: a crash between the two writes leaves no certificate without its key.
        AtomicFile.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n", ownerOnly: true);
        AtomicFile.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n", ownerOnly: false);
        return new ServerCertificate(PemCertificate.Load(certificatePath, keyPath), certificatePath, true, true);
    }
}
