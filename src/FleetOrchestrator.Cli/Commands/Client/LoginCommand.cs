using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// `fleet login --server URL --api-key KEY [--ca FILE | --server-sha256 HASH]`: checks the key with GET /api/me, then
/// keeps server, key and trust in the profile (mode 0600) that later verbs fall back to: a later command to the same
/// server checks its certificate as the login did. Nothing is written when the check fails.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var command = new Command("login", "Check a server and key, and keep them for later fleet commands");
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            var me = await api.MeAsync(ct).ConfigureAwait(false);
            // The trust this login was checked with, the CA as a full path so later commands find it from anywhere.
            var (chosenCa, pin) = options.ChosenTrust(parseResult, api.Connection);
            var ca = chosenCa is null ? null : Path.GetFullPath(chosenCa);
            new ClientProfile(api.Connection.Server.AbsoluteUri, api.Connection.ApiKey, ca, pin)
                .Save(environment.ProfilePath);
            if (output.Json)
            {
                output.WriteJson(me);
                return ExitCodes.Success;
            }
            output.Out.WriteLine($"signed in to {api.Connection.Server} as {JsonText.Of(me, "name")} " +
                                 $"(role {JsonText.Of(me, "role")}, key {JsonText.Of(me, "keyId")})");
            output.Out.WriteLine($"profile {environment.ProfilePath} (mode 0600)");
            if (ca is not null || pin is not null)
                output.Out.WriteLine($"server certificate checked against {(ca is not null ? "the CA file " + ca
                    : "SHA-256 " + pin)} for this server from now on");
            return ExitCodes.Success;
        });
        return command;
    }
}
