using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FleetOrchestrator.Cli.Output;

/// <summary>A rollout's plan and its state (GET /api/rollouts/{id}) as people read them: waves, gates,
/// counts.</summary>
internal static class RolloutView
{
    /// <summary>Counts by outcome that are not finished devices (RolloutViews in Orchestration names them).</summary>
    private static readonly HashSet<string> Unfinished = new(StringComparer.Ordinal) { "NotStarted", "Running" };

    public static IRenderable Plan(JsonElement answer)
    {
        var plan = JsonText.Member(answer, "plan");
        var waves = JsonText.Items(JsonText.Member(plan, "waves")).ToList();
        var rows = new Rows(
            new Text($"rollout {JsonText.Of(answer, "rolloutId")}: {JsonText.Int(plan, "devices")} devices in " +
                     $"{waves.Count} waves, seed {JsonText.Of(plan, "seed")}, eta {JsonText.Of(plan, "eta")}" +
                     (answer.TryGetProperty("status", out var status) ? $", status {status.GetString()}" : "")),
            Tables.Rows(["#", "wave", "devices", "device ids"], waves.Select((w, i) =>
            {
                var ids = JsonText.Items(JsonText.Member(w, "deviceIds")).Select(JsonText.Of).ToList();
                return new[]
                {
                    i.ToString(System.Globalization.CultureInfo.InvariantCulture), JsonText.Of(w, "name"),
                    ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    string.Join(" ", ids.Take(8)) + (ids.Count > 8 ? $" … (+{ids.Count - 8})" : ""),
                };
            })),
            Excluded(JsonText.Items(JsonText.Member(plan, "excluded")).ToList()));
        return rows;
    }

    private static IRenderable Excluded(List<JsonElement> excluded) => excluded.Count == 0
        ? new Text("excluded: none")
        : Tables.Of(excluded, ("excluded device", "deviceId"), ("reason", "reason"), ("detail", "detail"));

    /// <summary>Finished devices of a wave: every counted outcome except those still to come or running.</summary>
    public static int Finished(JsonElement wave) => JsonText.Member(wave,
        "outcomes") is { ValueKind: JsonValueKind.Object } o
        ? o.EnumerateObject().Where(p => !Unfinished.Contains(p.Name) && p.Value.ValueKind == JsonValueKind.Number)
            .Sum(p => p.Value.GetInt32())
        : 0;

    public static IRenderable Detail(JsonElement detail, bool withAudit)
    {
        var header = new StringBuilder()
            .Append($"rollout {JsonText.Of(detail, "rolloutId")} ({JsonText.Of(detail, "name")}): ")
            .Append(JsonText.Of(detail, "status"))
            .Append($", wave {JsonText.Int(detail, "currentWave")}, {JsonText.Int(detail, "inFlight")} in flight");
        if (JsonText.Of(detail, "haltReason") is var halt && halt != "-") header.Append($"; halted: {halt}");
        var items = new List<IRenderable> { new Text(header.ToString()), Waves(detail) };
        if (withAudit)
        {
            items.Add(Tables.Of(JsonText.Items(JsonText.Member(detail, "audit")), ("at", "at"), ("action", "action"),
                ("who", "who"), ("why", "why")));
        }
        return new Rows(items);
    }

    public static Table Waves(JsonElement detail)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in new[] { "#", "wave", "phase", "progress", "done", "outcomes",
            "gate" }) table.AddColumn(header);
        var index = 0;
        foreach (var wave in JsonText.Items(JsonText.Member(detail, "waves")))
        {
            var devices = JsonText.Int(wave, "devices");
            var done = Finished(wave);
            table.AddRow(
                new Text(index++.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(JsonText.Of(wave, "name")),
                new Text(JsonText.Of(wave, "phase")),
                new Text(Bar(done, devices, 20)),
                new Text($"{done}/{devices}"),
                new Text(JsonText.Of(wave, "outcomes")),
                new Text(JsonText.Of(wave, "gateState")));
        }
        return table;
    }

    /// <summary>A text progress bar, so it renders the same on a terminal, in a pipe and in a test.</summary>
    public static string Bar(int done, int total, int width)
    {
        var filled = total <= 0 ? 0 : (int)Math.Round(width * (double)Math.Min(done, total) / total);
        return new string('#', filled) + new string('.', width - filled);
    }

    /// <summary>One plain line per wave for logs and pipes (what `rollout watch` prints when nothing is a
    /// terminal).</summary>
    public static IEnumerable<string> PlainLines(JsonElement detail)
    {
        yield return $"{JsonText.Of(detail, "rolloutId")} {JsonText.Of(detail, "status")}" +
                     (JsonText.Of(detail, "haltReason") is var h && h != "-" ? $" halted: {h}" : "");
        var index = 0;
        foreach (var wave in JsonText.Items(JsonText.Member(detail, "waves")))
        {
            var devices = JsonText.Int(wave, "devices");
            var done = Finished(wave);
            yield return $"  wave {index++} {JsonText.Of(wave, "name")} {JsonText.Of(wave, "phase")} " +
                         $"[{Bar(done, devices, 20)}] {done}/{devices} ({JsonText.Of(wave, "outcomes")}) " +
                         $"gate: {JsonText.Of(wave, "gateState")}";
        }
    }
}
