using System.Globalization;
using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.Simulation.Populations;

/// <summary>
/// Reads a population file and lists every problem by its JSON path: unknown fields, shares that are not numbers in
/// 0..1, shares of a dimension that do not add up to 1, ROM versions that are not MAJOR.MINOR, unknown silicon
/// revisions.
/// </summary>
public static class PopulationReader
{
    private const double Tolerance = 1e-6;

    private static readonly string[] Dimensions =
        ["startingVersions", "romBootloaders", "siliconRevisions", "regions", "cells", "timeZones"];

    public static PopulationResult Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            return new(null, [new PopulationProblem("$", $"not JSON: {e.Message}")]);
        }
        using (document)
        {
            var problems = new List<PopulationProblem>();
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return new(null, [new PopulationProblem("$", "a population is a JSON object")]);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!Dimensions.Contains(property.Name, StringComparer.Ordinal))
                    problems.Add(new($"$.{property.Name}", $"unknown field (known: {string.Join(", ", Dimensions)})"));
            }
            var versions = Shares(document.RootElement, "startingVersions", problems,
                v => SemanticVersion.TryParse(v, out var parsed) && parsed.ToString() == v
                    ? null
                    : "a starting version is MAJOR.MINOR.PATCH, e.g. 1.0.0");
            var roms = Shares(document.RootElement, "romBootloaders", problems, RomProblem);
            var revisions = Shares(document.RootElement, "siliconRevisions", problems,
                v => Enum.TryParse<SiliconRevision>(v, ignoreCase: false, out _) && v.Length == 1
                    ? null
                    : $"unknown silicon revision (known: {string.Join(", ", Enum.GetNames<SiliconRevision>())})");
            var regions = Shares(document.RootElement, "regions", problems, TagProblem);
            var cells = Shares(document.RootElement, "cells", problems, TagProblem);
            var zones = Shares(document.RootElement, "timeZones", problems, TagProblem);
            return problems.Count > 0
                ? new(null, problems)
                : new(new Population(versions, roms, revisions, regions, cells, zones), []);
        }
    }

    /// <summary>The ROM version a population value names ("4.1").</summary>
    public static RomBootloaderVersion ParseRom(string value)
    {
        var parts = value.Split('.');
        return new RomBootloaderVersion(int.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static string? RomProblem(string value)
    {
        var parts = value.Split('.');
        return parts.Length == 2 && parts.All(p => p.Length is > 0 and < 4 && p.All(char.IsAsciiDigit))
            ? null
            : "a ROM bootloader version is MAJOR.MINOR, e.g. 4.1";
    }

    private static string? TagProblem(string value) =>
        value.Length is > 0 and <= 64 ? null : "a tag value has 1 to 64 characters";

    private static IReadOnlyList<PopulationShare> Shares(JsonElement root, string name,
        List<PopulationProblem> problems, Func<string, string?> valueProblem)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null) return [];
        var path = $"$.{name}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(path, "an object of value: share, e.g. { \"eu\": 0.6, \"us\": 0.4 }"));
            return [];
        }
        var shares = new List<PopulationShare>();
        var before = problems.Count;
        foreach (var entry in element.EnumerateObject())
        {
            var at = $"{path}['{entry.Name}']";
            if (valueProblem(entry.Name) is { } problem) problems.Add(new(at, problem));
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDouble(out var share)
                || share < 0 || share > 1)
            {
                problems.Add(new(at, "a share is a number from 0 to 1"));
                continue;
            }
            shares.Add(new PopulationShare(entry.Name, share));
        }
        if (problems.Count == before && shares.Count > 0 && Math.Abs(shares.Sum(s => s.Share) - 1) > Tolerance)
        {
            var sum = Math.Round(shares.Sum(s => s.Share), 6).ToString(CultureInfo.InvariantCulture);
            problems.Add(new(path, $"shares add up to {sum}, not 1"));
        }
        return shares;
    }
}
