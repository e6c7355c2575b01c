using System.Text.Json;
using System.Text.Json.Serialization;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Orchestration.Serialization;

/// <summary>Writes versions as "1.4.0" (readable in the journal, and stable if the struct gains members).</summary>
public sealed class SemanticVersionJsonConverter : JsonConverter<SemanticVersion>
{
    public override SemanticVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SemanticVersion.TryParse(reader.GetString(), out var v)
            ? v
            : throw new JsonException($"'{reader.GetString()}' is not a version of the form major.minor.patch");

    public override void Write(Utf8JsonWriter writer, SemanticVersion value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
