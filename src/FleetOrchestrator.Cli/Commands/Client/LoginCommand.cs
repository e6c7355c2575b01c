using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// `fleet login --server URL --api-key KEY`: checks the key with GET /api/me, then keeps both in the profile
/// (mode 0600) that later verbs fall back to. Nothing is written when the check fails.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var command = new Command("login", "Check a server and key, and keep them for later fleet commands");
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (_, api, output, ct) =>
        {
            var me = await api.MeAsync(ct).ConfigureAwait(false);
            new ClientProfile(api.Connection.Server.AbsoluteUri, api.Connection.ApiKey).Save(environment.ProfilePath);
            if (output.Json)
            {
                output.WriteJson(me);
                return ExitCodes.Success;
            }
            output.Out.WriteLine($"signed in to {api.Connection.Server} as {JsonText.Of(me, "name")} " +
                                 $"(role {JsonText.Of(me, "role")}, key {JsonText.Of(me, "keyId")})");
            output.Out.WriteLine($"profile {environment.ProfilePath} (mode 0600)");
            return ExitCodes.Success;
        });
        return command;
    }
}
