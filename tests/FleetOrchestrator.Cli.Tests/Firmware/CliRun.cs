using System.Text.Json;

namespace FleetOrchestrator.Cli.Tests.Firmware;

/// <summary>Runs `fleet` in-process with captured output.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public static async Task<CliRun> Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await FleetCli.RunAsync(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "firmware", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"fixture {name} not found above {AppContext.BaseDirectory}");
    }
}
