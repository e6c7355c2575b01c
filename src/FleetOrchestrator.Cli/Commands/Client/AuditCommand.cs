using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// `fleet audit [--since T --actor A --action X --limit N --cursor C]`: the audit trail, newest first as the API
/// gives it.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var since = new Option<string?>("--since") { Description = "Only records at or after this time (ISO 8601)" };
        var actor = new Option<string?>("--actor") { Description = "Only this actor (key name)" };
        var action = new Option<string?>("--action") { Description = "Only this action" };
        var limit = new Option<int?>("--limit") { Description = "At most this many records" };
        var cursor = new Option<string?>("--cursor") { Description = "The next page: the 'next' of the previous one" };
        var command = new Command("audit", "Who did what, when, from where, with what outcome")
        {
            since, actor, action, limit, cursor,
        };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var answer = await api.AuditAsync(new Dictionary<string, string?>
            {
                ["since"] = parseResult.GetValue(since),
                ["actor"] = parseResult.GetValue(actor),
                ["action"] = parseResult.GetValue(action),
                ["limit"] = parseResult.GetValue(limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["cursor"] = parseResult.GetValue(cursor),
            }, ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else
            {
                output.Console.Write(Tables.Of(JsonText.Items(JsonText.Member(answer, "items")), ("at", "at"),
                    ("actor", "actor"), ("role", "role"), ("action", "action"), ("target", "target"), ("from", "from"),
                    ("outcome", "outcome"), ("status", "status"), ("detail", "detail")));
                if (JsonText.Of(answer, "next") is var next && next != "-")
                    output.Console.WriteLine($"next: --cursor {next}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
