using FleetOrchestrator.Cli.Commands;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Cli.Tests.Logging;

public sealed class CliLoggingTests
{
    [Fact]
    public void Warnings_are_logged_and_asp_net_cores_per_request_diagnostics_are_off_at_every_level()
    {
        using var logs = CliLogging.Create();

        Assert.True(logs.CreateLogger("FleetOrchestrator.Host").IsEnabled(LogLevel.Warning));
        Assert.False(logs.CreateLogger("FleetOrchestrator.Host").IsEnabled(LogLevel.Information));
        // Enabled at any level, this category makes ASP.NET Core start an Activity for every request.
        Assert.False(logs.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(logs.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Error));
    }

    [Fact]
    public void A_command_can_add_its_own_filters()
    {
        using var logs = CliLogging.Create(b => b.AddFilter("Noisy", LogLevel.Error));

        Assert.False(logs.CreateLogger("Noisy").IsEnabled(LogLevel.Warning));
        Assert.True(logs.CreateLogger("Noisy").IsEnabled(LogLevel.Error));
    }
}
