using FleetOrchestrator.Host.Orchestrator;
using Microsoft.Extensions.Configuration;

namespace FleetOrchestrator.Host.Tests.Orchestrator;

public sealed class OrchestratorWebBuilderTests
{
    [Fact]
    public void Configuration_files_are_read_once_and_not_watched()
    {
        var builder = OrchestratorWebBuilder.Create();

        var files = builder.Configuration.Sources.OfType<FileConfigurationSource>().ToList();

        Assert.NotEmpty(files); // the defaults still read appsettings.json, so the assertion below has something to check
        Assert.All(files, f => Assert.False(f.ReloadOnChange, $"{f.Path} is watched for changes"));
    }
}
