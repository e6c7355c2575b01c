using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FleetOrchestrator.Protocol.Tls;

namespace FleetOrchestrator.Mqtt.Security;

/// <summary>
/// How a client (a simulated device, the CLI) decides that the server's TLS certificate is the right one, as
/// PROTOCOL.md §2 ("TLS") tells devices to: by a pinned SHA-256 fingerprint of the server certificate, or by a CA
/// file (the server's own self-signed certificate is its own CA) plus the host name, or, with neither, by the
/// system's trust store. There is deliberately no "accept any certificate".
/// </summary>
public sealed record ServerTrust
{
    /// <summary>The operating system's trust store and host-name check.</summary>
    public static ServerTrust System { get; } = new();

    /// <summary>Roots to chain to (a CA, or a self-signed server certificate); the host name is checked too.</summary>
    public IReadOnlyList<X509Certificate2> Anchors { get; init; } = [];

    /// <summary>The one server certificate accepted, whatever it names or who signed it.</summary>
    public CertificateFingerprint? Pin { get; init; }

    /// <summary>Every certificate in a PEM file. Throws <see cref="InvalidDataException"/> naming the file.</summary>
    public static ServerTrust FromCaFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new InvalidDataException($"the CA file '{path}' does not exist");
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"the CA file '{path}' is not PEM certificates: {e.Message}", e);
        }
        if (certificates.Count == 0) throw new InvalidDataException($"the CA file '{path}' holds no certificate");
        return new ServerTrust { Anchors = [.. certificates] };
    }

    /// <summary>Throws <see cref="FormatException"/> for anything but a SHA-256 fingerprint.</summary>
    public static ServerTrust FromFingerprint(string fingerprint) =>
        new() { Pin = CertificateFingerprint.Parse(fingerprint) };

    /// <summary>The decision for one handshake: the server's certificate and what the platform found.</summary>
    public bool Accepts(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null) return false;
        if (Pin is { } pin) return pin.Matches(certificate.GetRawCertData());
        if (Anchors.Count == 0) return errors == SslPolicyErrors.None;
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable))
            != 0) return false;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(Anchors.ToArray());
        // Intermediates the server sent along may complete the path to an anchor.
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        return chain.Build(leaf);
    }

    /// <summary>An HTTP handler that checks servers with this trust (for downloads and the operator API).</summary>
    public SocketsHttpHandler CreateHttpHandler() => Apply(new SocketsHttpHandler());

    /// <summary>Sets <paramref name="handler"/>'s certificate check to this trust; returns it.</summary>
    public SocketsHttpHandler Apply(SocketsHttpHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (this == System) return handler;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            Accepts(certificate, chain, errors);
        return handler;
    }

    public override string ToString() => Pin is { } pin ? $"the certificate with SHA-256 {pin}"
        : Anchors.Count > 0 ? $"{Anchors.Count} CA certificate(s)" : "the system trust store";
}
