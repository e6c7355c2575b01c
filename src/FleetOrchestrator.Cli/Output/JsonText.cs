using System.Text.Json;

namespace FleetOrchestrator.Cli.Output;

/// <summary>Reading the API's JSON for tables: missing and null members show as "-", never as an exception.</summary>
internal static class JsonText
{
    public static string Of(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? Of(value) : "-";

    public static string Of(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { Length: > 0 } s ? s : "-",
        JsonValueKind.Null or JsonValueKind.Undefined => "-",
        JsonValueKind.Object when !value.EnumerateObject().Any() => "-",
        JsonValueKind.Object => string.Join(", ", value.EnumerateObject().Select(p => $"{p.Name} {Of(p.Value)}")),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Of)),
        _ => value.GetRawText(),
    };

    public static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;

    public static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static IEnumerable<JsonElement> Items(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];
}
