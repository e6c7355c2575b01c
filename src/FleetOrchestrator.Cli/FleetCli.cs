using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Commands;
using FleetOrchestrator.Cli.Commands.Client;

namespace FleetOrchestrator.Cli;

/// <summary>
/// The `fleet` command tree and a testable entry point: output goes to the given writers, and parse errors
/// exit with <see cref="ExitCodes.UsageOrIoError"/> instead of System.CommandLine's default 1, which the
/// firmware commands reserve for "the input is invalid".
/// </summary>
public static class FleetCli
{
    public static RootCommand CreateRoot() => CreateRoot(ClientEnvironment.Process);

    /// <summary>The tree with the client verbs reading <paramref name="environment"/> (tests give their own).</summary>
    internal static RootCommand CreateRoot(ClientEnvironment environment)
    {
        var root = new RootCommand("fleet: over-the-air firmware updates for STM32L072 fleets");
        root.Subcommands.Add(FirmwareCommands.Create());
        root.Subcommands.Add(ModelCommands.Create());
        root.Subcommands.Add(SimulateCommand.Create(environment));
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create(environment));
        root.Subcommands.Add(LoginCommand.Create(environment));
        root.Subcommands.Add(ArtifactsCommand.Create(environment));
        root.Subcommands.Add(RolloutCommand.Create(environment));
        root.Subcommands.Add(UpdateCommand.Create(environment));
        root.Subcommands.Add(KeysCommand.Create(environment));
        root.Subcommands.Add(AuditCommand.Create(environment));
        root.Subcommands.Add(ClusterCommand.Create(environment));
        return root;
    }

    /// <summary>Runs the whole command tree (what Program.cs and the tests drive).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(CreateRoot(), args, output, error, cancellationToken);

    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(error);
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            await error.WriteLineAsync("Run with --help for usage.").ConfigureAwait(false);
            return ExitCodes.UsageOrIoError;
        }
        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
