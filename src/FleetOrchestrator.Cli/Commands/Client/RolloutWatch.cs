using System.CommandLine;
using System.Text.Json;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// `fleet rollout watch ID`: polls GET /api/rollouts/{id} every second until the rollout ends. On a terminal a live
/// table (a bar per wave, gate state, counts by outcome, halt reason); otherwise a block of plain lines whenever
/// something changed; with --json one line of the API's JSON per change. Exit 0 when it completed, 1 when it halted,
/// was cancelled or rolled back (<see cref="Outcome"/>).
/// </summary>
internal static class RolloutWatch
{
    public static Command Create(ClientEnvironment environment)
    {
        var id = new Argument<string>("ID") { Description = "Rollout id" };
        var command = new Command("watch", "Follow a rollout live until it ends; exit 1 if it halted") { id };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, (parseResult, api, output, ct) =>
            WatchAsync(api, output, parseResult.GetValue(id)!, environment.PollInterval, ct));
        return command;
    }

    /// <summary>Null while the rollout goes on; else the exit code its end deserves. A halt waits for the operator,
    /// so it ends the watch too.</summary>
    public static int? Outcome(string status) => status switch
    {
        "Completed" => ExitCodes.Success,
        "Halted" or "Cancelled" or "RolledBack" => ExitCodes.Invalid,
        _ => null,
    };

    private static async Task<int> WatchAsync(FleetApiClient api, ClientOutput output, string id, TimeSpan interval,
        CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        if (output.IsTerminal && !output.Json)
        {
            var detail = await api.GetRolloutAsync(id, ct).ConfigureAwait(false);
            int? exit = null;
            await output.Console.Live(RolloutView.Detail(detail, withAudit: false)).StartAsync(async live =>
            {
                while ((exit = Outcome(JsonText.Of(detail, "status"))) is null)
                {
                    await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
                    detail = await api.GetRolloutAsync(id, ct).ConfigureAwait(false);
                    live.UpdateTarget(RolloutView.Detail(detail, withAudit: false));
                }
            }).ConfigureAwait(false);
            output.Out.WriteLine(Ending(detail));
            return exit!.Value;
        }

        string? last = null;
        while (true)
        {
            var detail = await api.GetRolloutAsync(id, ct).ConfigureAwait(false);
            var status = JsonText.Of(detail, "status");
            var shown = output.Json ? detail.GetRawText() : string.Join(Environment.NewLine,
                RolloutView.PlainLines(detail));
            if (shown != last)
            {
                await output.Out.WriteLineAsync(shown).ConfigureAwait(false);
                await output.Out.FlushAsync(ct).ConfigureAwait(false);
                last = shown;
            }
            if (Outcome(status) is { } exit)
            {
                if (!output.Json) await output.Out.WriteLineAsync(Ending(detail)).ConfigureAwait(false);
                return exit;
            }
            await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
    }

    private static string Ending(JsonElement detail)
    {
        var status = JsonText.Of(detail, "status");
        var halt = JsonText.Of(detail, "haltReason");
        return status == "Completed"
            ? $"rollout {JsonText.Of(detail, "rolloutId")} completed"
            : $"rollout {JsonText.Of(detail, "rolloutId")} ended {status}" + (halt != "-" ? $": {halt}" : "");
    }
}
