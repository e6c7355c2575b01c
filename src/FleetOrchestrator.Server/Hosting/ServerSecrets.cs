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
/// </summary>
public sealed class ServerSecrets
{
    public const string OperatorKeyHashFileName = "operator-api-key.sha256";
    public const string GrantSecretFileName = "download-grant.key";

    private ServerSecrets(ManifestSigningKey signingKey, string signingKeyPath, string publicKeyPath, byte[] grantSecret, OperatorApiKey operatorKey)
    {
        SigningKey = signingKey;
        SigningKeyPath = signingKeyPath;
        PublicKeyPath = publicKeyPath;
        GrantSecret = grantSecret;
        OperatorKey = operatorKey;
    }

    public ManifestSigningKey SigningKey { get; }
    public string SigningKeyPath { get; }

    /// <summary>Where the signing key's public half is written; devices verify manifests with it.</summary>
    public string PublicKeyPath { get; }

    public byte[] GrantSecret { get; }
    public OperatorApiKey OperatorKey { get; }

    public static ServerSecrets LoadOrCreate(FleetServerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var dataDir = options.ResolveDataDirectory();
        Directory.CreateDirectory(dataDir);

        var keyPath = options.ResolveSigningKeyPath();
        var publicPath = Path.ChangeExtension(keyPath, ".pub.pem");
        var signingKey = LoadOrCreateSigningKey(keyPath, publicPath, logger);
        logger.LogInformation("Manifest signing key {KeyId}; devices verify with the public key at {PublicKeyPath}", signingKey.KeyId, publicPath);

        return new ServerSecrets(signingKey, keyPath, publicPath, LoadOrCreateGrantSecret(options, dataDir, logger), LoadOrCreateOperatorKey(options, dataDir, logger));
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
        if (options.OperatorApiKeySha256 is { } configured) return Parse(configured, "the OperatorApiKeySha256 option");
        var path = Path.Combine(dataDir, OperatorKeyHashFileName);
        if (File.Exists(path)) return Parse(File.ReadAllText(path), path);

        var key = OperatorApiKey.GenerateKey();
        WriteSecretFile(path, OperatorApiKey.Sha256Hex(key) + "\n", secret: true);
        // The only time the key exists in clear: only its hash is kept, so it is shown once, now.
        logger.LogWarning("Generated the operator API key (shown once; only its SHA-256 is kept in {Path}; delete that file to generate a new key): {OperatorApiKey}", path, key);
        return OperatorApiKey.FromKey(key);

        static OperatorApiKey Parse(string hex, string source)
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
