using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// `fleet rollout plan|start|list|status|watch|pause|resume|approve|cancel|rollback|activate|why` against a running
/// server: the API of docs/rollouts.md, one verb per endpoint.
/// </summary>
internal static class RolloutCommand
{
    /// <summary>The actions of POST /api/rollouts/{id}/{action}.</summary>
    private static readonly (string Name, string Description)[] Actions =
    [
        ("pause", "Stop commanding and judging gates; running sagas go on"),
        ("resume", "Continue a paused rollout"),
        ("approve", "Pass the wave awaiting manual approval, or override a gate's halt"),
        ("cancel", "Stop; each running saga compensates by its phase"),
        ("rollback", "Return every device this rollout updated to the previous image"),
        ("activate", "A download-only rollout: authorize the swaps, wave by wave"),
    ];

    public static Command Create(ClientEnvironment environment)
    {
        var command = new Command("rollout", "Staged rollouts on a running fleet serve (docs/rollouts.md)");
        command.Subcommands.Add(Submit(environment, dryRun: true));
        command.Subcommands.Add(Submit(environment, dryRun: false));
        command.Subcommands.Add(List(environment));
        command.Subcommands.Add(Status(environment));
        command.Subcommands.Add(RolloutWatch.Create(environment));
        foreach (var (name, description) in Actions) command.Subcommands.Add(Action(environment, name, description));
        command.Subcommands.Add(Why(environment));
        return command;
    }

    private static Command Submit(ClientEnvironment environment, bool dryRun)
    {
        var file = new Argument<string>("POLICY")
        {
            Description = "A policy (config/rollouts/) or a whole request JSON",
        };
        var artifact = new Option<string?>("--artifact")
        {
            Description = "Artifact id to roll out (else the file's artifactId)",
        };
        var previous = new Option<string?>("--previous")
        {
            Description = "Previous artifact for fleet rollback (allowDowngrade)",
        };
        var id = new Option<string?>("--id") { Description = "Rollout id (default: generated)" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the wave assignment (same seed, same waves)" };
        var reason = new Option<string?>("--reason") { Description = "Why, recorded in the rollout's audit" };
        var command = dryRun
            ? new Command("plan", "Dry run: the waves and every excluded device, without commanding anything")
            : new Command("start", "Start a rollout");
        foreach (var o in new Option[] { artifact, previous, id, seed, reason }) command.Options.Add(o);
        command.Arguments.Add(file);
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var request = new RolloutRequestFile(parseResult.GetValue(artifact), parseResult.GetValue(previous),
                parseResult.GetValue(id), parseResult.GetValue(seed),
                    parseResult.GetValue(reason)).Build(parseResult.GetValue(file)!);
            var answer = await api.SubmitRolloutAsync(request, dryRun, ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else
            {
                output.Console.Write(RolloutView.Plan(answer));
                // Without --seed, each submission draws its own: say how to start exactly the waves shown.
                if (dryRun && parseResult.GetValue(seed) is null)
                    output.Console.WriteLine("give `fleet rollout start` the same arguments and --seed " +
                        $"{JsonText.Of(JsonText.Member(answer, "plan"), "seed")} to start exactly these waves");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(ClientEnvironment environment)
    {
        var command = new Command("list", "Every rollout with its status and counts");
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (_, api, output, ct) =>
        {
            var answer = await api.ListRolloutsAsync(ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else
            {
                output.Console.Write(Tables.Of(JsonText.Items(answer), ("rollout", "rolloutId"), ("name", "name"),
                    ("status", "status"), ("devices", "devices"), ("commanded", "commanded"), ("outcomes", "outcomes"),
                    ("started", "startedAt"), ("updated", "updatedAt")));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(ClientEnvironment environment)
    {
        var id = new Argument<string>("ID") { Description = "Rollout id" };
        var command = new Command("status",
            "One rollout: waves, gate states, counts by outcome, halt reason, audit") { id };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var answer = await api.GetRolloutAsync(parseResult.GetValue(id)!, ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else output.Console.Write(RolloutView.Detail(answer, withAudit: true));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Action(ClientEnvironment environment, string name, string description)
    {
        var id = new Argument<string>("ID") { Description = "Rollout id" };
        var reason = new Option<string?>("--reason")
        {
            Description = "Why (at most 500 characters), recorded in the audit",
        };
        var command = new Command(name, description) { id, reason };
        Option<int?>? wave = null;
        if (name == "approve")
        {
            wave = new Option<int?>("--wave")
            {
                Description = "The wave you mean to approve (refused if not the current one)",
            };
            command.Options.Add(wave);
        }
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var answer = await api.RolloutActionAsync(parseResult.GetValue(id)!, name, parseResult.GetValue(reason),
                wave is null ? null : parseResult.GetValue(wave), ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else output.Out.WriteLine($"{name}: accepted; rollout {parseResult.GetValue(id)} is {Status(answer)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Status(System.Text.Json.JsonElement answer) => JsonText.Of(answer, "status");

    private static Command Why(ClientEnvironment environment)
    {
        var id = new Argument<string>("ID") { Description = "Rollout id" };
        var device = new Argument<string>("DEVICE") { Description = "Device id" };
        var command = new Command("why", "Where a device stands in a rollout and what it waits for") { id, device };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var answer = await api.WhyAsync(parseResult.GetValue(id)!, parseResult.GetValue(device)!,
                ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else
            {
                output.Console.Write(Tables.Fields(answer, ("device", "deviceId"), ("wave", "wave"), ("wave name",
                    "waveName"),
                    ("step", "step"), ("outcome", "outcome"), ("waiting for", "waitingFor"), ("detail", "detail")));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
