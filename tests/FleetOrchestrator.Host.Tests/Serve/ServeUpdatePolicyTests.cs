using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Host.Tests.Cluster;
using Microsoft.Extensions.Configuration;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>
/// `fleet serve` takes the sagas' timing from <c>Fleet:UpdatePolicy</c>
/// (appsettings or <c>FLEET__UPDATEPOLICY__…</c>):
/// a production fleet wants hours of health window, a soak test seconds. A broken policy stops the start, named.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class ServeUpdatePolicyTests
{
    [Fact]
    public void The_update_policy_section_reaches_the_orchestrator_options_and_unset_members_keep_their_defaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fleet:UpdatePolicy:HealthWindow"] = "00:00:05",
            ["Fleet:UpdatePolicy:ResendInterval"] = "00:00:03",
            ["Fleet:UpdatePolicy:MaxDownloadAttempts"] = "7",
        }).Build();

        var policy = ServeSettings.FromConfiguration(configuration).ToOrchestratorOptions().UpdatePolicy;

        Assert.Equal(TimeSpan.FromSeconds(5), policy.HealthWindow);
        Assert.Equal(TimeSpan.FromSeconds(3), policy.ResendInterval);
        Assert.Equal(7, policy.MaxDownloadAttempts);
        Assert.Equal(Orchestration.Devices.Messages.UpdatePolicy.Default.BootTimeout, policy.BootTimeout);
    }

    [Fact]
    public void An_environment_variable_sets_the_health_window()
    {
        try
        {
            Environment.SetEnvironmentVariable("FLEET__UPDATEPOLICY__HEALTHWINDOW", "00:30:00");
            Assert.Equal(TimeSpan.FromMinutes(30),
                ServeSettings.Load(null).ToOrchestratorOptions().UpdatePolicy.HealthWindow);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FLEET__UPDATEPOLICY__HEALTHWINDOW", null);
        }
    }

    [Fact]
    public void A_policy_that_cannot_run_is_refused_naming_the_section_and_the_member()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fleet:UpdatePolicy:HealthWindow"] = "00:00:00",
        }).Build();
        var error = Assert.Throws<FormatException>(
            () => ServeSettings.FromConfiguration(configuration).ToOrchestratorOptions());
        Assert.Equal("Fleet:UpdatePolicy: HealthWindow is 00:00:00 (must be positive)", error.Message);
    }

    [Fact]
    public void A_value_that_does_not_bind_is_a_format_error_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fleet:UpdatePolicy:HealthWindow"] = "ten minutes",
        }).Build();
        var error = Assert.Throws<FormatException>(() => ServeSettings.FromConfiguration(configuration));
        Assert.Contains("Fleet:UpdatePolicy:HealthWindow", error.Message);
    }
}
