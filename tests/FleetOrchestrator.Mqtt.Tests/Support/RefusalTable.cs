using System.Text.RegularExpressions;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>
/// The table "How the broker refuses" of PROTOCOL.md §2, read from the document itself so the tests check the broker
/// against what device authors read. A cell starts with the packet the device receives (or "connection closed") and
/// names the code on the wire as the first number in backquotes.
/// </summary>
internal static partial class RefusalTable
{
    private static string Document => ProtocolDocument.Text;

    public sealed record Answer(string Cell)
    {
        public int? Code => CodePattern().Match(Cell) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;
        public bool Is(string packet) => Cell.StartsWith(packet, StringComparison.Ordinal);
    }

    public sealed record Row(string Situation, Answer Mqtt5, Answer Mqtt311);

    public static IReadOnlyList<Row> Rows()
    {
        int start = Document.IndexOf("| Situation | MQTT 5 | MQTT 3.1.1 |", StringComparison.Ordinal);
        Assert.True(start >= 0, "PROTOCOL.md has no refusal table");
        var rows = new List<Row>();
        foreach (var line in Document[start..].Split('\n').Skip(2))
        {
            if (!line.StartsWith('|')) break;
            var cells = line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToArray();
            Assert.True(cells.Length == 3, $"refusal table row with {cells.Length} cells: {line}");
            rows.Add(new Row(cells[0], new Answer(cells[1]), new Answer(cells[2])));
        }
        return rows;
    }

    public static Row For(string situation) =>
        Rows().SingleOrDefault(r => r.Situation == situation)
        ?? throw new InvalidOperationException($"PROTOCOL.md's refusal table has no row '{situation}'");

    [GeneratedRegex("`([0-9]+)`")]
    private static partial Regex CodePattern();
}
