using System.CommandLine;

namespace FleetOrchestrator.Cli.Client;

/// <summary>The options every client verb takes: where the server is, the key, and --json for scripts.</summary>
internal sealed class ClientOptions
{
    public Option<string?> Server { get; } = new("--server")
    {
        Description = "Server URL, e.g. http://127.0.0.1:8080 "
            + $"(else ${ClientEnvironment.ServerVariable}, else fleet login's profile)",
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"Operator API key (else ${ClientEnvironment.ApiKeyVariable}, else fleet login's profile)",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the API's JSON instead of a table" };

    /// <summary>New instances added to <paramref name="command"/> (an option belongs to one command).</summary>
    public static ClientOptions AddTo(Command command, bool json = true)
    {
        var options = new ClientOptions();
        command.Options.Add(options.Server);
        command.Options.Add(options.ApiKey);
        if (json) command.Options.Add(options.Json);
        return options;
    }
}
