using System.CommandLine;
using System.CommandLine.Parsing;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>Option and argument builders the firmware commands share.</summary>
internal static class FirmwareOptions
{
    public static Option<SemanticVersion> Version(string name, string description, SemanticVersion? defaultValue = null)
    {
        var option = new Option<SemanticVersion>(name)
        {
            Description = description,
            Required = defaultValue is null,
            CustomParser = ParseVersion,
        };
        if (defaultValue is { } d) option.DefaultValueFactory = _ => d;
        return option;
    }

    private static SemanticVersion ParseVersion(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (SemanticVersion.TryParse(text, out var version)) return version;
        result.AddError($"'{text}' is not a version of the form major.minor.patch (e.g. 1.4.0)");
        return default;
    }
}
