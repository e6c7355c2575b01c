using System.Net;
using System.Security.Cryptography.X509Certificates;
using FleetOrchestrator.Host.Tls;

namespace FleetOrchestrator.Host.Tests.Tls;

/// <summary>The certificate fleet serve makes when TLS is asked for without one: made once, then reused.</summary>
public sealed class SelfSignedCertificateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-tls-selfsigned-").FullName;

    [Fact]
    public void First_start_makes_a_p256_certificate_for_the_local_names_with_an_owner_only_key_and_reuses_it()
    {
        var first = SelfSignedCertificate.LoadOrCreate(_dir, ["fleet.example.net", "192.0.2.7"]);

        Assert.True(first.Generated);
        Assert.True(first.SelfSigned);
        Assert.True(first.Certificate.HasPrivateKey);
        Assert.Equal("1.2.840.10045.2.1", first.Certificate.PublicKey.Oid.Value); // id-ecPublicKey
        Assert.Equal(256, first.Certificate.GetECDsaPublicKey()!.KeySize);
        var names = first.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost", Dns.GetHostName(), "fleet.example.net"], names.EnumerateDnsNames().ToArray());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("192.0.2.7")],
            names.EnumerateIPAddresses().ToArray());
        var keyPath = Path.Combine(_dir, "tls", SelfSignedCertificate.KeyFileName);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyPath));

        var again = SelfSignedCertificate.LoadOrCreate(_dir, ["another.example.net"]);

        Assert.False(again.Generated);
        Assert.Equal(first.Fingerprint, again.Fingerprint);
        Assert.Equal(first.CertificatePath, again.CertificatePath);
    }

    [Fact]
    public void A_given_pem_pair_is_served_as_is_and_a_half_pair_or_a_wrong_key_is_a_clear_error()
    {
        var made = SelfSignedCertificate.LoadOrCreate(Path.Combine(_dir, "a"), []);
        var keyPath = Path.Combine(_dir, "a", "tls", SelfSignedCertificate.KeyFileName);

        var given = new ServerTls(new ServerTlsOptions { CertificatePath = made.CertificatePath, KeyPath = keyPath },
            Path.Combine(_dir, "b")).Certificate!;
        Assert.False(given.SelfSigned);
        Assert.Equal(made.Fingerprint, given.Fingerprint);
        Assert.False(Directory.Exists(Path.Combine(_dir, "b", "tls")));

        var half = new ServerTls(new ServerTlsOptions { CertificatePath = made.CertificatePath }, _dir);
        Assert.Contains("needs its key", Assert.Throws<InvalidDataException>(() => half.Certificate).Message);
        var other = SelfSignedCertificate.LoadOrCreate(Path.Combine(_dir, "c"), []);
        var mismatched = new ServerTls(new ServerTlsOptions
        {
            CertificatePath = other.CertificatePath, KeyPath = keyPath,
        }, _dir);
        var wrongKey = Assert.Throws<InvalidDataException>(() => mismatched.Certificate);
        Assert.Contains(other.CertificatePath, wrongKey.Message);
        Assert.Null(new ServerTls(null, _dir).Certificate);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
