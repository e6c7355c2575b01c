using System.Text.RegularExpressions;
using System.Xml.Linq;
using FleetOrchestrator.Cli.Client;

namespace FleetOrchestrator.Cli.Tests.Docker;

/// <summary>
/// docker/Dockerfile, checked without a container engine: an SDK build stage and an ASP.NET Core runtime stage of the
/// repository's .NET version, a non-root user, the health check on /healthz, the data directory a volume, the entry
/// point the CLI's assembly, and every path it copies present, including what the projects include from outside
/// src/ (a container build sees only what the Dockerfile copies).
/// </summary>
public sealed partial class DockerfileTests
{
    private sealed record Instruction(string Keyword, string Arguments);

    private static List<Instruction> Instructions()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Docker, "Dockerfile"));
        var joined = text.Replace("\\\n", " ", StringComparison.Ordinal);
        return [.. joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2)).Select(p => new Instruction(p[0].ToUpperInvariant(),
                p.Length > 1 ? p[1].Trim() : ""))];
    }

    /// <summary>The instructions of each stage, by stage name.</summary>
    private static List<(string Image, string Name, List<Instruction> Body)> Stages()
    {
        var stages = new List<(string, string, List<Instruction>)>();
        foreach (var i in Instructions())
        {
            if (i.Keyword == "FROM")
            {
                var m = FromPattern().Match(i.Arguments);
                Assert.True(m.Success, $"FROM {i.Arguments} names no stage (FROM IMAGE AS NAME)");
                stages.Add((m.Groups[1].Value, m.Groups[2].Value, []));
            }
            else if (stages.Count > 0) stages[^1].Item3.Add(i);
        }
        return stages;
    }

    private static string TargetFramework() =>
        XDocument.Load(Path.Combine(RepositoryFiles.Root, "Directory.Build.props")).Descendants("TargetFramework")
            .Single().Value;

    [Fact]
    public void An_sdk_build_stage_and_an_aspnet_runtime_stage_of_the_repositorys_dotnet()
    {
        var version = TargetFramework().Replace("net", "", StringComparison.Ordinal);
        var stages = Stages();

        Assert.Equal(2, stages.Count);
        Assert.Equal(($"mcr.microsoft.com/dotnet/sdk:{version}", "build"), (stages[0].Image, stages[0].Name));
        Assert.Contains(stages[1].Image, new[]
        {
            $"mcr.microsoft.com/dotnet/aspnet:{version}", $"mcr.microsoft.com/dotnet/runtime-deps:{version}",
        });
        Assert.Contains(stages[1].Body, i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=build ",
            StringComparison.Ordinal));
        Assert.DoesNotContain(stages[1].Body, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish",
            StringComparison.Ordinal));
    }

    [Fact]
    public void The_runtime_stage_runs_as_a_non_root_user_with_a_health_check_and_the_data_directory_a_volume()
    {
        var runtime = Stages()[^1].Body;

        var user = runtime.Last(i => i.Keyword == "USER").Arguments;
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
        var healthcheck = Assert.Single(runtime, i => i.Keyword == "HEALTHCHECK").Arguments;
        Assert.Contains("CMD ", healthcheck);
        var healthzUrl = runtime.Single(i => i.Keyword == "ENV" && i.Arguments.StartsWith("FLEET_HEALTHZ_URL=",
            StringComparison.Ordinal)).Arguments.Split('=', 2)[1];
        Assert.EndsWith("/healthz", healthzUrl);
        Assert.Contains("$FLEET_HEALTHZ_URL", healthcheck);
        Assert.Contains("\"/data\"", runtime.Single(i => i.Keyword == "VOLUME").Arguments);
        // USER comes after every RUN: nothing the image runs later is root.
        Assert.True(runtime.FindLastIndex(i => i.Keyword == "USER") > runtime.FindLastIndex(i => i.Keyword == "RUN"));
    }

    [Fact]
    public void The_entry_point_is_the_cli_assembly_and_the_default_command_is_a_fleet_serve_that_parses()
    {
        var runtime = Stages()[^1].Body;
        var assembly = XDocument.Load(Path.Combine(RepositoryFiles.Root, "src", "FleetOrchestrator.Cli",
            "FleetOrchestrator.Cli.csproj")).Descendants("AssemblyName").Single().Value;

        var entry = System.Text.Json.JsonSerializer.Deserialize<string[]>(
            runtime.Single(i => i.Keyword == "ENTRYPOINT").Arguments)!;
        Assert.Equal(["dotnet", $"/app/{assembly}.dll"], entry);
        var command = System.Text.Json.JsonSerializer.Deserialize<string[]>(
            runtime.Single(i => i.Keyword == "CMD").Arguments)!;
        Assert.Equal("serve", command[0]);
        var parsed = FleetCli.CreateRoot(new ClientEnvironment { Variable = _ => null }).Parse(command);
        Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        Assert.Equal("/data", command[Array.IndexOf(command, "--data-dir") + 1]);
    }

    [Fact]
    public void Every_path_the_build_copies_exists_and_covers_what_the_projects_include()
    {
        var build = Stages()[0].Body;
        var copied = build.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToList();
        Assert.NotEmpty(copied);
        foreach (var source in copied)
        {
            var path = Path.Combine(RepositoryFiles.Root, source);
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
        }
        var published = build.Where(i => i.Keyword == "RUN").SelectMany(i => ProjectPattern().Matches(i.Arguments))
            .Select(m => m.Value).Distinct().ToList();
        Assert.Equal(["src/FleetOrchestrator.Cli/FleetOrchestrator.Cli.csproj"], published);
        Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, published[0])));

        // What the CLI's projects include by relative path must lie under a copied directory.
        var roots = copied.Where(c => c.EndsWith('/')).Select(c => Path.GetFullPath(Path.Combine(RepositoryFiles.Root,
            c))).ToList();
        var projects = Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "src"), "*.csproj",
            SearchOption.AllDirectories);
        foreach (var project in projects)
        {
            foreach (var include in XDocument.Load(project).Descendants()
                         .Select(e => e.Attribute("Include")?.Value).OfType<string>()
                         .Where(v => v.StartsWith("..", StringComparison.Ordinal)))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include));
                Assert.True(roots.Any(r => target.StartsWith(r, StringComparison.Ordinal)),
                    $"{Path.GetFileName(project)} includes {include}, which the Dockerfile does not copy");
            }
        }
    }

    [Fact]
    public void The_build_context_ignore_file_keeps_build_outputs_and_secrets_out()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepositoryFiles.Docker, "Dockerfile.dockerignore"));
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
        Assert.Contains("docker/secrets/", ignore);
        Assert.Contains("docker/certs/", ignore);
    }

    [GeneratedRegex(@"^(\S+)\s+AS\s+(\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex FromPattern();

    [GeneratedRegex(@"src/\S+\.csproj")]
    private static partial Regex ProjectPattern();
}
