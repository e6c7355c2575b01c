using System.Globalization;
using System.Text.Json;
using FleetOrchestrator.Firmware.Hashing;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Firmware.Manifests;

/// <summary>
/// The canonical manifest encoding, the exact bytes that get signed: compact UTF-8 JSON, fields in a fixed order,
/// no insignificant whitespace, crc32 as "0x" + 8 upper-case hex digits, versions as "major.minor.patch".
/// Parsing accepts only canonical bytes, so one manifest has exactly one signed form.
/// </summary>
public static class ManifestJson
{
    private static readonly string[] FieldOrder =
        ["imageSha256", "size", "crc32", "version", "hardwareTarget", "minimumBootloader", "downgradeAllowed", "keyId"];

    public static byte[] ToCanonicalJson(FirmwareManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = Check(manifest);
        if (problems is not null) throw new ArgumentException($"manifest cannot be encoded: {problems}", nameof(manifest));
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString(FieldOrder[0], manifest.ImageSha256);
            json.WriteNumber(FieldOrder[1], manifest.Size);
            json.WriteString(FieldOrder[2], FormatCrc(manifest.Crc32));
            json.WriteString(FieldOrder[3], manifest.Version.ToString());
            json.WriteString(FieldOrder[4], manifest.HardwareTarget);
            json.WriteString(FieldOrder[5], manifest.MinimumBootloader.ToString());
            json.WriteBoolean(FieldOrder[6], manifest.DowngradeAllowed);
            json.WriteString(FieldOrder[7], manifest.KeyId);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static string FormatCrc(uint crc) => string.Create(CultureInfo.InvariantCulture, $"0x{crc:X8}");

    /// <summary>Reads canonical manifest JSON; throws <see cref="ManifestFormatException"/> naming the problem.</summary>
    public static FirmwareManifest Parse(ReadOnlySpan<byte> canonicalJson)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(canonicalJson.ToArray());
        }
        catch (JsonException e)
        {
            throw new ManifestFormatException($"manifest is not valid JSON: {e.Message}");
        }
        FirmwareManifest manifest;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ManifestFormatException("manifest is not a JSON object");
            var names = root.EnumerateObject().Select(p => p.Name).ToArray();
            if (!names.SequenceEqual(FieldOrder))
            {
                throw new ManifestFormatException($"manifest fields are [{string.Join(", ", names)}]; expected exactly [{string.Join(", ", FieldOrder)}] in that order");
            }
            manifest = new FirmwareManifest(
                GetString(root, "imageSha256"),
                GetInt(root, "size"),
                ParseCrc(GetString(root, "crc32")),
                ParseVersion(root, "version"),
                GetString(root, "hardwareTarget"),
                ParseVersion(root, "minimumBootloader"),
                GetBool(root, "downgradeAllowed"),
                GetString(root, "keyId"));
        }
        if (Check(manifest) is { } problem) throw new ManifestFormatException(problem);
        if (!canonicalJson.SequenceEqual(ToCanonicalJson(manifest)))
        {
            throw new ManifestFormatException("manifest JSON is not in canonical form (compact, fixed field order, canonical number and string encoding)");
        }
        return manifest;
    }

    /// <summary>First reason the manifest's fields are out of range, or null.</summary>
    private static string? Check(FirmwareManifest m)
    {
        if (!ImageDigest.IsCanonicalSha256Hex(m.ImageSha256)) return $"imageSha256 '{m.ImageSha256}' is not 64 lower-case hex digits";
        if (m.Size <= 0) return $"size {m.Size} is not positive";
        if (string.IsNullOrWhiteSpace(m.HardwareTarget)) return "hardwareTarget is empty";
        if (m.KeyId is null || m.KeyId.Any(c => c is < ' ' or > '~')) return "keyId must be printable ASCII";
        return null;
    }

    private static JsonElement Get(JsonElement root, string name, JsonValueKind kind)
    {
        var value = root.GetProperty(name);
        if (value.ValueKind != kind && !(kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
        {
            throw new ManifestFormatException($"manifest field '{name}' is {value.ValueKind}, expected {(kind == JsonValueKind.True ? "a boolean" : kind.ToString())}");
        }
        return value;
    }

    private static string GetString(JsonElement root, string name) => Get(root, name, JsonValueKind.String).GetString()!;

    private static bool GetBool(JsonElement root, string name) => Get(root, name, JsonValueKind.True).GetBoolean();

    private static int GetInt(JsonElement root, string name) =>
        Get(root, name, JsonValueKind.Number).TryGetInt32(out int n) ? n : throw new ManifestFormatException($"manifest field '{name}' is not a 32-bit integer");

    private static SemanticVersion ParseVersion(JsonElement root, string name)
    {
        string text = GetString(root, name);
        return SemanticVersion.TryParse(text, out var v) ? v : throw new ManifestFormatException($"manifest field '{name}' is '{text}', not a version major.minor.patch");
    }

    private static uint ParseCrc(string text) =>
        text.Length == 10 && text.StartsWith("0x", StringComparison.Ordinal)
        && uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint crc)
            ? crc
            : throw new ManifestFormatException($"manifest field 'crc32' is '{text}', expected 0x followed by 8 hex digits");
}
