using System.Text.Json;

namespace FleetOrchestrator.Firmware.Manifests;

/// <summary>
/// The on-disk form of a signed manifest written by `fleet firmware sign`: a JSON object with the same three
/// fields as the wire DTO, {"manifestBase64": ..., "signatureBase64": ..., "keyId": ...}.
/// </summary>
public static class SignedManifestFile
{
    public static string ToJson(SignedManifest signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        using var buffer = new MemoryStream();
        // Relaxed escaping: this file is read by people too, and base64 "+" need not become \u002B.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("manifestBase64", signed.ManifestBase64);
            json.WriteString("signatureBase64", signed.SignatureBase64);
            json.WriteString("keyId", signed.KeyId);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Reads the file form; throws <see cref="ManifestFormatException"/> with the reason.</summary>
    public static SignedManifest FromJson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ManifestFormatException("signed manifest file is not a JSON object");
            return SignedManifest.FromBase64(Field(root, "manifestBase64"), Field(root, "signatureBase64"), Field(root, "keyId"));
        }
        catch (JsonException e)
        {
            throw new ManifestFormatException($"signed manifest file is not valid JSON: {e.Message}");
        }
    }

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new ManifestFormatException($"signed manifest file has no string field '{name}'");
}
