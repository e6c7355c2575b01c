namespace FleetOrchestrator.Firmware.Tests.Support;

/// <summary>A missing tool never lets a test pass: skipped locally, failed in CI.</summary>
public sealed class ToolRequirementTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("false")]
    public void A_missing_tool_skips_outside_CI(string? ci) =>
        Assert.Contains("no-such-tool", ToolRequirement.SkipReason("no-such-tool", installed: false, ci));

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("1")]
    public void A_missing_tool_runs_the_test_in_CI_so_it_fails(string ci) =>
        Assert.Null(ToolRequirement.SkipReason("no-such-tool", installed: false, ci));

    [Fact]
    public void An_installed_tool_runs_the_test() =>
        Assert.Null(ToolRequirement.SkipReason("srec_cat", installed: true, null));

    [Fact]
    public void Requiring_a_missing_tool_fails_the_test()
    {
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ToolRequirement.Require("no-such-tool-7f3a"));
        Assert.Contains("no-such-tool-7f3a", failure.Message);
    }
}
