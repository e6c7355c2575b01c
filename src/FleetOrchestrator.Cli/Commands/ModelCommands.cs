using System.CommandLine;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>`fleet model ...`: the STM32L072 flash/boot model (power-cut sweep, synthetic images).</summary>
public static class ModelCommands
{
    /// <summary>Exit code for usage and I/O errors (1 is reserved for "the sweep found failures").</summary>
    internal const int UsageError = 2;

    public static Command Create()
    {
        var model = new Command("model", "The STM32L072 flash/boot model: power-cut sweep of the update agent, synthetic images");
        model.Subcommands.Add(ModelSweepCommand.Create());
        model.Subcommands.Add(ModelMakeImageCommand.Create());
        return model;
    }

    /// <summary>Prints a usage error and returns exit code 2.</summary>
    internal static int Usage(ParseResult parseResult, string message)
    {
        parseResult.InvocationConfiguration.Error.WriteLine($"error: {message}");
        return UsageError;
    }

    /// <summary>Tokens System.CommandLine did not match (our commands accept them so that they can exit 2, not 1).</summary>
    internal static string? UnexpectedTokens(ParseResult parseResult) =>
        parseResult.UnmatchedTokens.Count == 0 ? null : $"unexpected argument(s): {string.Join(' ', parseResult.UnmatchedTokens)}";
}
