using System.CommandLine;
using FleetOrchestrator.Mqtt.Security;

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

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "PEM file of the CA (or the self-signed certificate) an https:// server must have "
            + "(default: the system trust store)",
    };

    public Option<string?> ServerSha256 { get; } = new("--server-sha256")
    {
        Description = "Accept exactly the server certificate with this SHA-256 fingerprint (fleet serve's banner)",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the API's JSON instead of a table" };

    /// <summary>
    /// How https:// servers (and, in `devices simulate`, TLS brokers) are checked: --ca or --server-sha256, else
    /// what `fleet login` kept for this server (<see cref="ServerConnection.Profile"/>), else the system store.
    /// </summary>
    public ServerTrust Trust(ParseResult parseResult, ServerConnection? connection)
    {
        var (ca, pin) = ChosenTrust(parseResult, connection);
        try
        {
            return ca is not null ? ServerTrust.FromCaFile(ca)
                : pin is not null ? ServerTrust.FromFingerprint(pin)
                : ServerTrust.System;
        }
        catch (Exception e) when (e is InvalidDataException or FormatException)
        {
            throw new ClientUsageException(e.Message);
        }
    }

    /// <summary>
    /// The CA file or fingerprint the user chose for the server (both null: the system store), by the rule of
    /// <see cref="Trust"/>; `fleet login` keeps it.
    /// </summary>
    public (string? Ca, string? ServerSha256) ChosenTrust(ParseResult parseResult, ServerConnection? connection)
    {
        var ca = parseResult.GetValue(Ca);
        var pin = parseResult.GetValue(ServerSha256);
        if (ca is not null && pin is not null)
            throw new ClientUsageException("--ca and --server-sha256 are two ways to trust the server: give one");
        return ca is null && pin is null && connection?.Profile is { } profile
            ? (profile.Ca, profile.ServerSha256)
            : (ca, pin);
    }

    /// <summary>
    /// The test's handler when the environment has one, else one that checks servers by <see cref="Trust"/>.
    /// </summary>
    public HttpMessageHandler Handler(ParseResult parseResult, ClientEnvironment environment,
        ServerConnection connection) =>
        environment.Handler?.Invoke() ?? Trust(parseResult, connection).CreateHttpHandler();

    /// <summary>New instances added to <paramref name="command"/> (an option belongs to one command).</summary>
    public static ClientOptions AddTo(Command command, bool json = true)
    {
        var options = new ClientOptions();
        command.Options.Add(options.Server);
        command.Options.Add(options.ApiKey);
        command.Options.Add(options.Ca);
        command.Options.Add(options.ServerSha256);
        if (json) command.Options.Add(options.Json);
        return options;
    }
}
