using System.CommandLine;

namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// Runs a client verb: resolves the server and key, builds the API client, and turns every failure into its message
/// and exit code (<see cref="ExitCodes"/>): the server's problem as "title: detail (HTTP n)", 1 for a refusal, 3 when
/// the server cannot be reached or refuses the key, 2 when the verb cannot run as asked.
/// </summary>
internal static class ClientAction
{
    public delegate Task<int> Body(ParseResult parseResult, FleetApiClient api, ClientOutput output,
        CancellationToken cancellationToken);

    public static void Set(Command command, ClientOptions options, ClientEnvironment environment, Body body) =>
        command.SetAction((parseResult, ct) => RunAsync(parseResult, options, environment, body, ct));

    public static async Task<int> RunAsync(ParseResult parseResult, ClientOptions options,
        ClientEnvironment environment,
        Body body, CancellationToken cancellationToken)
    {
        var output = new ClientOutput(parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error, parseResult.GetValue(options.Json));
        return await GuardAsync(output.Error, async () =>
        {
            var connection = ServerConnection.Resolve(parseResult.GetValue(options.Server),
                parseResult.GetValue(options.ApiKey), environment);
            using var api = new FleetApiClient(connection, options.Handler(parseResult, environment, connection));
            return await body(parseResult, api, output, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>The failures every client verb shares, as messages and exit codes.</summary>
    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (FleetApiException e)
        {
            await error.WriteLineAsync($"error: {e.Render()}").ConfigureAwait(false);
            return e.IsAuthentication ? ExitCodes.Unreachable : ExitCodes.Invalid;
        }
        catch (ServerUnreachableException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unreachable;
        }
        catch (Exception e) when (e is ClientUsageException or IOException or UnauthorizedAccessException
                                       or System.Text.Json.JsonException)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageOrIoError;
        }
    }
}
