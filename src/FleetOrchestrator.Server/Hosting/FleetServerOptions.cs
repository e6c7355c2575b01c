namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// Everything the HTTP side needs to know about its environment. Paths left null are derived from
/// <see cref="DataDirectory"/>; secrets left null are generated on first start and kept in the data directory,
/// so a restart keeps issued download grants and signed manifests valid.
/// </summary>
public sealed record FleetServerOptions
{
    /// <summary>Configuration section the options bind from (e.g. <c>Fleet:Server:Urls</c>).</summary>
    public const string SectionName = "Fleet:Server";

    /// <summary>Kestrel listen URL(s), separated by ';'. Port 0 picks a free port.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Root of everything the server persists: artifacts, keys, generated secrets.</summary>
    public string DataDirectory { get; init; } = "./.fleet";

    /// <summary>Content-addressed artifact store; default <c>{DataDirectory}/artifacts</c>.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>ECDSA P-256 private key (PKCS#8 or SEC1 PEM) that signs manifests; default <c>{DataDirectory}/keys/manifest-signing.pem</c>, generated when absent.</summary>
    public string? SigningKeyPath { get; init; }

    /// <summary>
    /// Lowercase or uppercase hex SHA-256 of the operator API key. When null, a hash stored in
    /// <c>{DataDirectory}/operator-api-key.sha256</c> is used; when that is absent too, a key is generated and printed once.
    /// </summary>
    public string? OperatorApiKeySha256 { get; init; }

    /// <summary>
    /// Base64 HMAC key for download grants (at least 32 bytes). When null, <c>{DataDirectory}/download-grant.key</c> is used
    /// or generated. Every node of a cluster must share it, or a grant issued by one node is refused by another.
    /// </summary>
    public string? DownloadGrantSecret { get; init; }

    /// <summary>How long a download URL handed to a device stays valid. Long enough for a slow NB-IoT download with resumes.</summary>
    public TimeSpan DownloadGrantLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Base URL devices reach this server at (behind a proxy or NAT it differs from <see cref="Urls"/>); default: the first bound address.</summary>
    public Uri? PublicBaseUrl { get; init; }

    /// <summary>Memory budget for image bytes served from RAM; a bank image is at most 96 KB, so the default holds several hundred.</summary>
    public long HotArtifactCacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest accepted upload body. A full 96 KB bank as Intel HEX is about 270 KB.</summary>
    public long MaxUploadBytes { get; init; } = 1024 * 1024;

    /// <summary>Failed sign-ins (operator key or device credentials) from one address answered at once before the 401
    /// starts to wait.</summary>
    public int SignInFailuresBeforeDelay { get; init; } = 5;

    /// <summary>The first wait of a failed sign-in's 401; each further failure from the address doubles it.</summary>
    public TimeSpan SignInFailureDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a failed sign-in waits for its 401.</summary>
    public TimeSpan MaxSignInFailureDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long audit records are kept (<see cref="Access.AuditRetention"/>); null keeps them for ever. The default, a
    /// year, bounds what failed sign-ins can add to the database.
    /// </summary>
    public TimeSpan? AuditRetention { get; init; } = DefaultAuditRetention;

    public static readonly TimeSpan DefaultAuditRetention = TimeSpan.FromDays(365);

    public string ResolveArtifactsDirectory() => Path.GetFullPath(ArtifactsDirectory ?? Path.Combine(DataDirectory, "artifacts"));

    public string ResolveSigningKeyPath() => Path.GetFullPath(SigningKeyPath ?? Path.Combine(DataDirectory, "keys", "manifest-signing.pem"));

    public string ResolveDataDirectory() => Path.GetFullPath(DataDirectory);
}
