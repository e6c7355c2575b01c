using System.Text.Json;
using FleetOrchestrator.Cli.Client;

namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>Runs `fleet` in-process with captured output and a client environment of the test's own.</summary>
internal sealed record ClientRun(int ExitCode, string Out, string Err)
{
    public static async Task<ClientRun> Of(ClientEnvironment environment, string[] args,
        CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await FleetCli.RunAsync(FleetCli.CreateRoot(environment), args, output, error, cancellationToken);
        return new ClientRun(code, output.ToString(), error.ToString());
    }

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}{Out}{Environment.NewLine}{Err}";
}
