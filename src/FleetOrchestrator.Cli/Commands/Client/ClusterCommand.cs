using System.CommandLine;
using System.Globalization;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// `fleet cluster`: the cluster as the server's node sees it (GET /api/cluster): each member's status and
/// reachability, and the device and rollout shards it hosts.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var command = new Command("cluster",
            "The orchestrator's cluster: members, their state, and the sagas each one hosts");
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (_, api, output, ct) =>
        {
            var answer = await api.ClusterAsync(ct).ConfigureAwait(false);
            if (output.Json)
            {
                output.WriteJson(answer);
                return ExitCodes.Success;
            }
            var self = JsonText.Of(answer, "self");
            var leader = JsonText.Of(answer, "leader");
            var rows = JsonText.Items(JsonText.Member(answer, "members")).Select(m =>
            {
                var address = JsonText.Of(m, "address");
                var marks = (address == self ? " (this node)" : "") + (address == leader ? " (leader)" : "");
                return new[]
                {
                    address + marks, JsonText.Of(m, "status"),
                    JsonText.Member(m, "reachable").GetBoolean() ? "yes" : "NO",
                    string.Join(",", JsonText.Items(JsonText.Member(m, "roles")).Select(JsonText.Of)),
                    Count(m, "deviceShards"), Count(m, "deviceEntities"), Count(m, "rolloutShards"),
                };
            });
            output.Console.Write(Tables.Rows(
                ["member", "status", "reachable", "roles", "device shards", "sagas", "rollout shards"], rows));
            if (!JsonText.Member(answer, "shardsComplete").GetBoolean())
                output.Console.WriteLine("shard counts incomplete: a member did not answer in time (unreachable?)");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Count(System.Text.Json.JsonElement member, string name) =>
        JsonText.Int(member, name).ToString(CultureInfo.InvariantCulture);
}
