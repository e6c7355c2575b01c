namespace FleetOrchestrator.Firmware.Signing;

/// <summary>
/// Where a key file's id lives: in <c>NAME.keyid</c> beside <c>NAME.pem</c>, one line. The PEM itself stays strict
/// (RFC 7468 strict form: nothing before BEGIN), because device toolchains and strict parsers refuse any text around
/// the block; a PEM comment or header is no way out, strict parsers refuse those too. Files written before carried
/// a "Key-Id: ..." line before BEGIN; <see cref="ManifestSigningKey.FromPem"/> still reads it when there is no
/// <c>.keyid</c> file. Pure: the callers read and write the files.
/// </summary>
public static class KeyIdFile
{
    public const string Extension = ".keyid";

    /// <summary><c>keys/manifest-signing.pub.pem</c> → <c>keys/manifest-signing.pub.keyid</c>.</summary>
    public static string PathFor(string pemPath) => Path.ChangeExtension(pemPath, Extension);

    public static string Format(string keyId) => keyId + "\n";

    /// <summary>The id in a <c>.keyid</c> file's text; anything else is a <see cref="SigningKeyException"/>.</summary>
    public static string Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var keyId = text.Trim();
        if (keyId.Length is 0 or > 64 || !keyId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-'))
        {
            throw new SigningKeyException(
                $"a key id file must hold one key id ([A-Za-z0-9_.:-], 1-64 characters), not '{Shorten(keyId)}'");
        }
        return keyId;
    }

    private static string Shorten(string text) => text.Length <= 70 ? text : text[..67] + "...";
}
