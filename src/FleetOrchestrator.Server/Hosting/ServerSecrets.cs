using System.Security.Cryptography;
using System.Text;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Server.Api;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// The server's three secrets: the manifest signing key, the download-grant HMAC key and the operator API key
/// (known by hash). Each comes from the options when given, else from the data directory, else is generated there
/// on first start, so restarts keep signed manifests and issued grants valid.
/// With <see cref="ISharedServerSecrets"/> (the host's database) the data directory's place is taken by the shared
/// store: every node gets the same keys, the first node to start generates them, and key files an older data
/// directory holds are imported once (the files stay, unread). A configured value still wins over the shared one.
/// </summary>
public sealed class ServerSecrets
{
    public const string OperatorKeyHashFileName = "operator-api-key.sha256";
    public const string GrantSecretFileName = "download-grant.key";

    /// <summary>Names of the values in <see cref="ISharedServerSecrets"/>.</summary>
    public const string SharedSigningKeyName = "manifest-signing-key";
    public const string SharedGrantSecretName = "download-grant-key";
    public const string SharedOperatorKeyHashName = "operator-api-key-sha256";

    /// <summary>Appended to a hash file's name once the shared store holds its hash.</summary>
    public const string ImportedSuffix = ".imported";

    private ServerSecrets(ManifestSigningKey signingKey, string signingKeyPath, string publicKeyPath,
        byte[] grantSecret, OperatorApiKey operatorKey, IReadOnlyList<string> imported)
    {
        Imported = imported;
        SigningKey = signingKey;
        SigningKeyPath = signingKeyPath;
        PublicKeyPath = publicKeyPath;
        GrantSecret = grantSecret;
        OperatorKey = operatorKey;
    }

    public ManifestSigningKey SigningKey { get; }

    /// <summary>The private key's file; with a shared store and no configured file, where it was (or would have been)
    /// imported from.</summary>
    public string SigningKeyPath { get; }

    /// <summary>What this start imported from data-directory files into the shared store, one line each.</summary>
    public IReadOnlyList<string> Imported { get; }

    /// <summary>Where the signing key's public half is written; devices verify manifests with it.</summary>
    public string PublicKeyPath { get; }

    public byte[] GrantSecret { get; }
    public OperatorApiKey OperatorKey { get; }

    public static ServerSecrets LoadOrCreate(FleetServerOptions options, ILogger logger,
        ISharedServerSecrets? shared = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var dataDir = options.ResolveDataDirectory();
        Directory.CreateDirectory(dataDir);

        var keyPath = options.ResolveSigningKeyPath();
        // The public half for devices always goes to the data directory: a configured key is typically a read-only
        // mounted secret, and devices and the docs look for it in DATA-DIR/keys either way.
        var publicPath = Path.Combine(dataDir, "keys", "manifest-signing.pub.pem");
        if (shared is not null && options.SigningKeyPath is not null && !File.Exists(keyPath))
            throw new InvalidOperationException(
                $"the manifest signing key file {keyPath} named in the configuration does not exist");
        var imported = new List<string>();
        var signingKey = shared is null || options.SigningKeyPath is not null
            ? LoadOrCreateSigningKey(keyPath, publicPath, logger)
            : LoadOrCreateSharedSigningKey(shared, keyPath, publicPath, logger, imported);
        logger.LogInformation("Manifest signing key {KeyId}; devices verify with the public key at {PublicKeyPath}", signingKey.KeyId, publicPath);

        var grantSecret = shared is null || options.DownloadGrantSecret is not null
            ? LoadOrCreateGrantSecret(options, dataDir, logger)
            : LoadOrCreateSharedGrantSecret(shared, dataDir, logger, imported);
        var operatorKey = shared is null || options.OperatorApiKeySha256 is not null
            ? LoadOrCreateOperatorKey(options, dataDir, logger)
            : LoadOrCreateSharedOperatorKey(shared, dataDir, logger, imported);
        return new ServerSecrets(signingKey, keyPath, publicPath, grantSecret, operatorKey, imported);
    }

    /// <summary>The shared key: the data directory's key file is the candidate (imported when the store has none),
    /// else a new key; whichever node stores first wins, and every node writes that key's public half.</summary>
    private static ManifestSigningKey LoadOrCreateSharedSigningKey(ISharedServerSecrets shared, string keyPath,
        string publicPath, ILogger logger, List<string> imported)
    {
        ManifestSigningKey? candidate = null;
        var stored = shared.GetOrAdd(SharedSigningKeyName, () =>
        {
            candidate = File.Exists(keyPath) ? ReadSigningKeyFile(keyPath) : ManifestSigningKey.Generate();
            return candidate.KeyId + "\n" + candidate.ExportPrivateKeyPem();
        });
        var newline = stored.IndexOf('\n', StringComparison.Ordinal);
        ManifestSigningKey key;
        try
        {
            key = ManifestSigningKey.FromPem(stored[(newline + 1)..], KeyIdFile.Parse(stored[..Math.Max(newline, 0)]));
        }
        catch (SigningKeyException e)
        {
            throw new InvalidOperationException($"the shared manifest signing key is unusable: {e.Message}", e);
        }
        if (candidate?.KeyId == key.KeyId && File.Exists(keyPath))
        {
            imported.Add($"manifest signing key {key.KeyId} from {keyPath}");
            logger.LogWarning("Imported the manifest signing key {KeyId} from {KeyPath} into the database; " +
                              "the file is no longer read", key.KeyId, keyPath);
        }
        else if (candidate?.KeyId == key.KeyId)
        {
            logger.LogWarning("Generated a new manifest signing key {KeyId} in the database; " +
                              "install {PublicKeyPath} on devices", key.KeyId, publicPath);
        }
        else if (File.Exists(keyPath) && ReadSigningKeyFile(keyPath).KeyId != key.KeyId)
        {
            logger.LogWarning("{KeyPath} holds another signing key than the database's {KeyId}; " +
                              "the database's signs manifests", keyPath, key.KeyId);
        }
        WritePublicKeyUnlessCurrent(key, publicPath, logger);
        return key;
    }

    private static ManifestSigningKey ReadSigningKeyFile(string keyPath)
    {
        var keyIdPath = KeyIdFile.PathFor(keyPath);
        try
        {
            var keyId = File.Exists(keyIdPath) ? KeyIdFile.Parse(File.ReadAllText(keyIdPath)) : null;
            return ManifestSigningKey.FromPem(File.ReadAllText(keyPath), keyId);
        }
        catch (SigningKeyException e)
        {
            throw new InvalidOperationException(
                $"the manifest signing key {keyPath} (or its key id file) is unusable: {e.Message}", e);
        }
    }

    private static byte[] LoadOrCreateSharedGrantSecret(ISharedServerSecrets shared, string dataDir, ILogger logger,
        List<string> imported)
    {
        var path = Path.Combine(dataDir, GrantSecretFileName);
        string? candidate = null;
        var stored = shared.GetOrAdd(SharedGrantSecretName, () => candidate = File.Exists(path)
            ? Convert.ToBase64String(DecodeGrantSecret(File.ReadAllText(path), path))
            : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        if (stored == candidate && File.Exists(path))
        {
            imported.Add($"download-grant key from {path}");
            logger.LogWarning("Imported the download-grant key from {Path} into the database; " +
                              "the file is no longer read", path);
        }
        else if (stored == candidate)
        {
            logger.LogInformation("Generated the download-grant key in the database; every node reads it there");
        }
        return DecodeGrantSecret(stored, "the shared download-grant key");
    }

    private static OperatorApiKey LoadOrCreateSharedOperatorKey(ISharedServerSecrets shared, string dataDir,
        ILogger logger, List<string> imported)
    {
        var path = Path.Combine(dataDir, OperatorKeyHashFileName);
        if (File.Exists(path))
        {
            // A hash file is an operator's instruction (an older data directory, or a replaced key): it becomes the
            // shared bootstrap key and is renamed, so it is applied once and not again at every start.
            var fromFile = ParseHash(File.ReadAllText(path), path);
            shared.Replace(SharedOperatorKeyHashName, Convert.ToHexStringLower(fromFile.Sha256()));
            File.Move(path, path + ImportedSuffix, overwrite: true);
            imported.Add($"operator key hash from {path} (renamed {OperatorKeyHashFileName}{ImportedSuffix})");
            logger.LogWarning("Imported the operator API key's hash from {Path} into the database and renamed " +
                              "the file to {Suffix}", path, ImportedSuffix);
            return fromFile;
        }
        string? generated = null;
        var stored = shared.GetOrAdd(SharedOperatorKeyHashName, () =>
            OperatorApiKey.Sha256Hex(generated = OperatorApiKey.GenerateKey()));
        if (generated is not null && stored == OperatorApiKey.Sha256Hex(generated))
        {
            // The only time the key exists in clear: only its hash is kept, so it is shown once, now.
            logger.LogWarning("Generated the operator API key (shown once; only its SHA-256 is kept, " +
                              "in the database): {OperatorApiKey}", generated);
            return OperatorApiKey.FromKey(generated);
        }
        return ParseHash(stored, "the shared operator API key hash");
    }

    private static ManifestSigningKey LoadOrCreateSigningKey(string keyPath, string publicPath, ILogger logger)
    {
        if (File.Exists(keyPath))
        {
            var keyIdPath = KeyIdFile.PathFor(keyPath);
            string? keyId;
            try
            {
                keyId = File.Exists(keyIdPath) ? KeyIdFile.Parse(File.ReadAllText(keyIdPath)) : null;
            }
            catch (SigningKeyException e)
            {
                throw new InvalidOperationException($"the key id file {keyIdPath} is unusable: {e.Message}", e);
            }
            ManifestSigningKey existing;
            try
            {
                existing = ManifestSigningKey.FromPem(File.ReadAllText(keyPath), keyId);
            }
            catch (SigningKeyException e)
            {
                throw new InvalidOperationException($"the manifest signing key {keyPath} is unusable: {e.Message}", e);
            }
            WritePublicKeyUnlessCurrent(existing, publicPath, logger);
            return existing;
        }
        var key = ManifestSigningKey.Generate();
        WriteSecretFile(keyPath, key.ExportPrivateKeyPem(), secret: true);
        WriteSecretFile(KeyIdFile.PathFor(keyPath), KeyIdFile.Format(key.KeyId), secret: false);
        WritePublicKeyUnlessCurrent(key, publicPath, logger);
        logger.LogWarning("Generated a new manifest signing key {KeyId} at {KeyPath}; install {PublicKeyPath} on devices", key.KeyId, keyPath, publicPath);
        return key;
    }

    /// <summary>
    /// The public half for devices, as strict PEM with its id in the .keyid file beside it. A public key file that
    /// differs (one written before with a "Key-Id:" line, which strict PEM parsers refuse) is replaced: it is derived
    /// from the private key, so nothing is lost.
    /// </summary>
    private static void WritePublicKeyUnlessCurrent(ManifestSigningKey key, string publicPath, ILogger logger)
    {
        var pem = key.ExportPublicKeyPem();
        var keyIdPath = KeyIdFile.PathFor(publicPath);
        if (File.Exists(publicPath) && File.ReadAllText(publicPath) != pem)
        {
            logger.LogInformation("Rewriting {PublicKeyPath} as strict PEM; its key id {KeyId} is in {KeyIdPath}",
                publicPath, key.KeyId, keyIdPath);
            File.Delete(publicPath);
        }
        if (!File.Exists(publicPath)) WriteSecretFile(publicPath, pem, secret: false);
        if (!File.Exists(keyIdPath) || File.ReadAllText(keyIdPath) != KeyIdFile.Format(key.KeyId))
        {
            File.Delete(keyIdPath);
            WriteSecretFile(keyIdPath, KeyIdFile.Format(key.KeyId), secret: false);
        }
    }

    private static byte[] LoadOrCreateGrantSecret(FleetServerOptions options, string dataDir, ILogger logger)
    {
        if (options.DownloadGrantSecret is { } configured) return DecodeGrantSecret(configured, "the DownloadGrantSecret option");
        var path = Path.Combine(dataDir, GrantSecretFileName);
        if (File.Exists(path)) return DecodeGrantSecret(File.ReadAllText(path), path);
        var secret = RandomNumberGenerator.GetBytes(32);
        WriteSecretFile(path, Convert.ToBase64String(secret) + "\n", secret: true);
        logger.LogInformation("Generated the download-grant secret at {Path}; every node serving downloads needs the same one", path);
        return secret;
    }

    private static byte[] DecodeGrantSecret(string base64, string source)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{source} is not base64");
        }
        return secret.Length >= Downloads.DownloadGrants.MinimumSecretBytes
            ? secret
            : throw new InvalidOperationException($"{source} holds {secret.Length} bytes; a download-grant secret needs at least {Downloads.DownloadGrants.MinimumSecretBytes}");
    }

    private static OperatorApiKey LoadOrCreateOperatorKey(FleetServerOptions options, string dataDir, ILogger logger)
    {
        if (options.OperatorApiKeySha256 is { } configured)
            return ParseHash(configured, "the OperatorApiKeySha256 option");
        var path = Path.Combine(dataDir, OperatorKeyHashFileName);
        if (File.Exists(path)) return ParseHash(File.ReadAllText(path), path);

        var key = OperatorApiKey.GenerateKey();
        WriteSecretFile(path, OperatorApiKey.Sha256Hex(key) + "\n", secret: true);
        // The only time the key exists in clear: only its hash is kept, so it is shown once, now.
        logger.LogWarning("Generated the operator API key (shown once; only its SHA-256 is kept in {Path}; delete that file to generate a new key): {OperatorApiKey}", path, key);
        return OperatorApiKey.FromKey(key);
    }

    private static OperatorApiKey ParseHash(string hex, string source)
    {
        try
        {
            return OperatorApiKey.FromSha256Hex(hex);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"{source}: {e.Message}", e);
        }
    }

    /// <summary>Temp file then rename, so a crash never leaves a half-written key that would fail the next start.</summary>
    private static void WriteSecretFile(string path, string text, bool secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            if (secret && !OperatingSystem.IsWindows()) File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            file.Write(Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: false);
    }
}
