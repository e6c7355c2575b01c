namespace FleetOrchestrator.Cli.Tests.Docker;

/// <summary>The repository the tests run from (the directory holding FleetOrchestrator.sln).</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = Find();

    public static string Docker => Path.Combine(Root, "docker");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("no FleetOrchestrator.sln above the test binaries");
    }
}
