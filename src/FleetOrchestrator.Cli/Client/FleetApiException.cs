using System.Net;
using System.Text;
using System.Text.Json;

namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// An HTTP error answer of the server, read from its problem+json (title, detail, and the per-field errors the
/// server lists). <see cref="Render"/> is what the user sees: "title: detail (HTTP 409)" and one line per field error.
/// </summary>
internal sealed class FleetApiException(HttpStatusCode status, string title, string? detail,
    IReadOnlyList<string> errors)
    : Exception($"{title}: {detail} (HTTP {(int)status})")
{
    public HttpStatusCode Status { get; } = status;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public IReadOnlyList<string> Errors { get; } = errors;

    /// <summary>401 and 403 are about the key, not the request: exit 3 like an unreachable server.</summary>
    public bool IsAuthentication => Status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;

    public string Render()
    {
        var text = new StringBuilder(Title);
        if (!string.IsNullOrWhiteSpace(Detail) && Detail != Title) text.Append(": ").Append(Detail);
        text.Append(" (HTTP ").Append((int)Status).Append(')');
        foreach (var error in Errors.Where(e => Detail is null || !Detail.Contains(e, StringComparison.Ordinal)))
            text.Append(Environment.NewLine).Append("  ").Append(error);
        return text.ToString();
    }

    /// <summary>
    /// Reads a problem+json body; any other body becomes the detail as text, an empty one the reason phrase.
    /// </summary>
    public static FleetApiException From(HttpStatusCode status, string? reasonPhrase, string body)
    {
        var fallbackTitle = reasonPhrase is { Length: > 0 } ? reasonPhrase : status.ToString();
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("title", out _)
                || root.TryGetProperty("detail", out _)))
            {
                return new FleetApiException(status, Text(root, "title") ?? fallbackTitle, Text(root, "detail"),
                    root.TryGetProperty("errors", out var errors) ? Flatten(errors) : []);
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, plain text): shown as it came.
        }
        var trimmed = body.Trim();
        return new FleetApiException(status, fallbackTitle, trimmed.Length == 0 ? null : Shorten(trimmed), []);
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // The server names field errors two ways: ASP.NET Core's {"field":["message"]} and the rollout API's
    // [{"path":"$.x","message":"…"}].
    private static List<string> Flatten(JsonElement errors)
    {
        var lines = new List<string>();
        if (errors.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in errors.EnumerateObject())
            {
                if (field.Value.ValueKind == JsonValueKind.Array)
                    lines.AddRange(field.Value.EnumerateArray().Select(m => $"{field.Name}: {m}"));
                else lines.Add($"{field.Name}: {field.Value}");
            }
        }
        else if (errors.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in errors.EnumerateArray())
            {
                lines.Add(e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m)
                    ? $"{(e.TryGetProperty("path", out var p) ? p.GetString() + ": " : "")}{m.GetString()}"
                    : e.ToString());
            }
        }
        return lines;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
