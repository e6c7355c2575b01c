using System.CommandLine;
using System.Text.Json;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// `fleet update DEVICE... --artifact ID`: a one-off update through POST /api/updates (a one-wave rollout). Exit 0
/// when every device was accepted (or is pending), 1 when any was refused or is unknown.
/// </summary>
internal static class UpdateCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var devices = new Argument<string[]>("DEVICE") { Description = "Device ids", Arity = ArgumentArity.OneOrMore };
        var artifact = new Option<string>("--artifact") { Description = "Artifact id to install", Required = true };
        var command = new Command("update", "Update devices now to an artifact (one-off, outside any staged rollout)")
        {
            devices, artifact,
        };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var answer = await api.StartUpdateAsync(parseResult.GetValue(artifact)!, parseResult.GetValue(devices)!, ct)
                .ConfigureAwait(false);
            var decisions = JsonText.Items(JsonText.Member(answer, "devices")).ToList();
            if (output.Json) output.WriteJson(answer);
            else
            {
                output.Console.WriteLine($"update to {JsonText.Of(answer, "version")}: " +
                                         $"{JsonText.Int(answer, "accepted")} accepted, " +
                                         $"{JsonText.Int(answer, "refused")} refused, " +
                                         $"{JsonText.Int(answer, "pending")} pending");
                output.Console.Write(Tables.Of(decisions,
                    ("device", "deviceId"), ("status", "status"), ("reason", "reason")));
            }
            return decisions.All(d => JsonText.Of(d, "status") is "accepted" or "pending")
                ? ExitCodes.Success
                : ExitCodes.Invalid;
        });
        return command;
    }
}
