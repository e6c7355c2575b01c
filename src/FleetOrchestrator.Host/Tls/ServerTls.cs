namespace FleetOrchestrator.Host.Tls;

/// <summary>
/// The process's TLS certificate, loaded (or generated) on first use: by the broker's start and by Kestrel's bind of
/// an https:// URL, both inside the host's start, so a bad file is a start failure with a message, not a crash.
/// </summary>
public sealed class ServerTls
{
    private readonly Lazy<ServerCertificate?> _certificate;

    public ServerTls(ServerTlsOptions? options, string dataDirectory, TimeProvider? time = null)
    {
        Options = options;
        _certificate = new Lazy<ServerCertificate?>(() => options switch
        {
            null => null,
            { CertificatePath: { } cert, KeyPath: { } key } =>
                new ServerCertificate(PemCertificate.Load(cert, key), Path.GetFullPath(cert), false, false),
            { CertificatePath: not null } or { KeyPath: not null } =>
                throw new InvalidDataException("a TLS certificate needs its key and a key its certificate"),
            _ => SelfSignedCertificate.LoadOrCreate(dataDirectory, options.SelfSignedHosts, time),
        });
    }

    public ServerTlsOptions? Options { get; }

    public bool Enabled => Options is not null;

    /// <summary>Null when TLS is off.</summary>
    public ServerCertificate? Certificate => _certificate.Value;
}
