using FleetOrchestrator.Firmware.Signing;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>A key as `keygen` writes it: a strict PEM and, beside it, its <see cref="KeyIdFile"/>.</summary>
internal static class CliKeyFiles
{
    /// <summary>
    /// Reads the PEM and the text of its <c>.keyid</c> file (null when there is none: an older file, whose id is on a
    /// "Key-Id:" line in the PEM, or a key that is named by its fingerprint).
    /// </summary>
    public static bool TryRead(string pemPath, TextWriter error, out string pem, out string? keyIdText)
    {
        keyIdText = null;
        if (!CliFiles.TryReadText(pemPath, error, out pem)) return false;
        var keyIdPath = KeyIdFile.PathFor(pemPath);
        if (!File.Exists(keyIdPath)) return true;
        if (!CliFiles.TryReadText(keyIdPath, error, out var text)) return false;
        keyIdText = text;
        return true;
    }

    /// <summary>The id in the <c>.keyid</c> text, if any; a bad one throws <see cref="SigningKeyException"/>.</summary>
    public static string? KeyId(string? keyIdText) => keyIdText is null ? null : KeyIdFile.Parse(keyIdText);

    public static bool TryWrite(string pemPath, string pem, string keyId, TextWriter error) =>
        CliFiles.TryWriteText(pemPath, pem, error)
        && CliFiles.TryWriteText(KeyIdFile.PathFor(pemPath), KeyIdFile.Format(keyId), error);
}
