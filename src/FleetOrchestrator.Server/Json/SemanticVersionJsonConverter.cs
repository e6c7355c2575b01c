using System.Text.Json;
using System.Text.Json.Serialization;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Server.Json;

/// <summary>Versions travel as "1.4.0", the way people write them, not as {major, minor, patch}.</summary>
public sealed class SemanticVersionJsonConverter : JsonConverter<SemanticVersion>
{
    public override SemanticVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return SemanticVersion.TryParse(text, out var version)
            ? version
            : throw new JsonException($"'{text}' is not a version of the form major.minor.patch (e.g. 1.4.0)");
    }

    public override void Write(Utf8JsonWriter writer, SemanticVersion value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
