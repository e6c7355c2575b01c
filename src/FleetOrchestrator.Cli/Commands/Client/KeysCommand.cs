using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using Spectre.Console;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>`fleet keys create --name N --role R | list | revoke ID`: operator API keys (admin role).</summary>
internal static class KeysCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var command = new Command("keys", "Operator API keys with roles viewer, operator, admin");
        command.Subcommands.Add(CreateKey(environment));
        command.Subcommands.Add(List(environment));
        command.Subcommands.Add(Revoke(environment));
        return command;
    }

    private static Command CreateKey(ClientEnvironment environment)
    {
        var name = new Option<string>("--name") { Description = "Who or what uses the key", Required = true };
        var role = new Option<string>("--role") { Description = "viewer, operator or admin", Required = true };
        role.AcceptOnlyFromAmong("viewer", "operator", "admin");
        var command = new Command("create", "Create a key; the key itself is shown this once") { name, role };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var answer = await api.CreateKeyAsync(parseResult.GetValue(name)!, parseResult.GetValue(role)!, ct)
                .ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else
            {
                output.Console.Write(Tables.Fields(answer,
                    ("id", "id"), ("name", "name"), ("role", "role"), ("created", "createdAt"), ("key", "key")));
                output.Console.WriteLine("the key is shown this once: only its hash is kept");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command List(ClientEnvironment environment)
    {
        var command = new Command("list", "List keys (never the keys themselves)");
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (_, api, output, ct) =>
        {
            var answer = await api.ListKeysAsync(ct).ConfigureAwait(false);
            if (output.Json) output.WriteJson(answer);
            else
            {
                output.Console.Write(Tables.Of(JsonText.Items(answer), ("id", "id"), ("name", "name"), ("role", "role"),
                    ("created", "createdAt"), ("by", "createdBy"), ("revoked", "revokedAt")));
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Revoke(ClientEnvironment environment)
    {
        var id = new Argument<string>("ID") { Description = "Key id" };
        var command = new Command("revoke", "Revoke a key: it is refused from now on") { id };
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            await api.RevokeKeyAsync(parseResult.GetValue(id)!, ct).ConfigureAwait(false);
            var revoked = System.Text.Json.JsonSerializer.Serialize(parseResult.GetValue(id));
            if (output.Json) output.Out.WriteLine($$"""{"id":{{revoked}},"revoked":true}""");
            else output.Out.WriteLine($"revoked key {parseResult.GetValue(id)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
