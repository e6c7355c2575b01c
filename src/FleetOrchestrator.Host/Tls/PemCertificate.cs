using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FleetOrchestrator.Host.Tls;

/// <summary>A certificate and its private key from PEM files, with errors that name the file and the problem.</summary>
public static class PemCertificate
{
    /// <summary>Throws <see cref="InvalidDataException"/> for a missing, unreadable or mismatched pair.</summary>
    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        if (!File.Exists(certificatePath))
            throw new InvalidDataException($"the TLS certificate '{certificatePath}' does not exist");
        if (!File.Exists(keyPath)) throw new InvalidDataException($"the TLS key '{keyPath}' does not exist");
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Re-imported as PKCS#12: an ephemeral PEM key cannot serve TLS on every platform, this form can.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        // A key of another certificate is an ArgumentException; a file that is not PEM, a CryptographicException.
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"the TLS certificate '{certificatePath}' and key '{keyPath}' "
                + $"do not load as a PEM pair: {e.Message}", e);
        }
    }
}
