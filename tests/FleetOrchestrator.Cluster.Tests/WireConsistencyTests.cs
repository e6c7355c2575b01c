using FleetOrchestrator.Cluster.Tests.Rig;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Cluster.Tests;

/// <summary>The rules the node-kill test holds the wire to (<see cref="WireConsistency"/>), on made-up
/// sequences.</summary>
public sealed class WireConsistencyTests
{
    private static readonly SemanticVersion V = new(1, 1, 0);

    private static WireMessage Cmd(DeviceCommand c) => new("dev-1", c, null, null);

    private static WireMessage Evt(DeviceEvent e) => new("dev-1", null, e, null);

    private static readonly WireMessage Staged = Evt(new ImageStaged("d1", 3, V, 100, 0xAB));
    private static readonly WireMessage TrialBoot =
        Evt(new DeviceBooted("s1", 5, V, BankId.Bank2, ImageState.Trial, ResetCause.OptionByteLoad, 1));
    private static readonly WireMessage Healthy = Evt(new HealthReported(null, 6, true, null));

    [Fact]
    public void A_clean_update_with_resent_commands_breaks_no_rule()
    {
        var swap = Cmd(new AuthorizeSwap("s1", V, 0xAB));
        var commit = Cmd(new CommitImage("c1", V));
        Assert.Empty(WireConsistency.Violations([Staged, swap, swap, Staged, TrialBoot, Healthy, commit, commit]));
    }

    [Fact]
    public void A_second_swap_id_for_one_staging_is_a_violation()
    {
        var problems = WireConsistency.Violations(
            [Staged, Cmd(new AuthorizeSwap("s1", V, 0xAB)), Staged, Cmd(new AuthorizeSwap("s2", V, 0xAB))]);
        Assert.Equal("dev-1: authorizeSwap s2 (1.1.0) with no unused staging: a second swap for one staging, or a swap "
                     + "before any", Assert.Single(problems));
    }

    [Fact]
    public void A_new_staging_allows_a_new_swap() =>
        Assert.Empty(WireConsistency.Violations([Staged, Cmd(new AuthorizeSwap("s1", V, 0xAB)),
            Evt(new ImageStaged("d2", 9, V, 100, 0xAB)), Cmd(new AuthorizeSwap("s2", V, 0xAB))]));

    [Fact]
    public void A_commit_before_the_healthy_verdict_is_a_violation()
    {
        var problems = WireConsistency.Violations([Staged, Cmd(new AuthorizeSwap("s1", V, 0xAB)), TrialBoot,
            Cmd(new CommitImage("c1", V))]);
        Assert.Contains("before a healthy verdict", Assert.Single(problems));
    }

    [Fact]
    public void A_commit_without_a_trial_boot_of_its_version_is_a_violation()
    {
        var problems = WireConsistency.Violations([Healthy, Cmd(new CommitImage("c1", V))]);
        Assert.Contains("without a trial boot", Assert.Single(problems));
    }

    [Fact]
    public void A_healthy_state_report_confirms_the_boot_like_the_health_event()
    {
        var hardware = new HardwareInfo("stm32l072cz", 192, "4.1", "Z", 0, new SemanticVersion(1, 0, 0));
        var state = new DeviceStateReport(V, BankId.Bank2, true, ImageState.Trial, ResetCause.OptionByteLoad, hardware,
            0xAB, null, TrialHealth.Passed);
        Assert.Empty(WireConsistency.Violations([Staged, Cmd(new AuthorizeSwap("s1", V, 0xAB)), TrialBoot,
            new WireMessage("dev-1", null, null, state), Cmd(new CommitImage("c1", V))]));
    }
}
