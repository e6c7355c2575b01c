using System.Text.Json;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Output;

/// <summary>Spectre.Console tables of the API's JSON: a column per member name, a row per object.</summary>
internal static class Tables
{
    /// <summary>A table of <paramref name="items"/> with the given (header, member) columns.</summary>
    public static Table Of(IEnumerable<JsonElement> items, params (string Header, string Member)[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, _) in columns) table.AddColumn(new TableColumn(header));
        foreach (var item in items)
            table.AddRow(columns.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(JsonText.Of(item,
                c.Member))).ToArray());
        return table;
    }

    /// <summary>A two-column table of one object's members, in the order given.</summary>
    public static Table Fields(JsonElement item, params (string Label, string Member)[] fields)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders();
        table.AddColumn("field");
        table.AddColumn("value");
        foreach (var (label, member) in fields) table.AddRow(new Text(label), new Text(JsonText.Of(item, member)));
        return table;
    }

    public static Table Rows(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers) table.AddColumn(new TableColumn(header));
        foreach (var row in rows)
            table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
        return table;
    }
}
