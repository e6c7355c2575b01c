using FleetOrchestrator.Simulation.Faults;

namespace FleetOrchestrator.Simulation.Tests.Faults;

public sealed class FaultPlanTests
{
    [Fact]
    public void The_cli_example_parses_into_shares_and_flags()
    {
        var plan = FaultPlan.Parse("crash-loop=0.05,corrupt-transfer=0.1,offline-during-swap=0.05,duplicate-messages=0.2,orchestrator-restart");

        Assert.Equal(0.05, plan.ShareOf(FaultKind.CrashLoop));
        Assert.Equal(0.1, plan.ShareOf(FaultKind.CorruptTransfer));
        Assert.Equal(0.05, plan.ShareOf(FaultKind.OfflineDuringSwap));
        Assert.Equal(0.2, plan.ShareOf(FaultKind.DuplicateMessages));
        Assert.Equal(0, plan.ShareOf(FaultKind.PowerCut));
        Assert.True(plan.HasFlag(FaultKind.OrchestratorRestart));
        Assert.False(plan.HasFlag(FaultKind.BrokerRestart));
        Assert.Equal("crash-loop=0.05,corrupt-transfer=0.1,offline-during-swap=0.05,duplicate-messages=0.2,orchestrator-restart", plan.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Nothing_means_no_faults(string? text) => Assert.Same(FaultPlan.None, FaultPlan.Parse(text));

    [Fact]
    public void Spaces_around_entries_and_the_extreme_shares_are_accepted()
    {
        var plan = FaultPlan.Parse(" power-cut = 1 , reordered-messages=0 , broker-restart ");
        Assert.Equal(1, plan.ShareOf(FaultKind.PowerCut));
        Assert.Equal(0, plan.ShareOf(FaultKind.ReorderedMessages));
        Assert.True(plan.HasFlag(FaultKind.BrokerRestart));
    }

    [Theory]
    [InlineData("crash-loop=0.05,brownout=0.1", "entry 2 'brownout=0.1': unknown fault 'brownout' (known: crash-loop, corrupt-transfer, offline-during-swap, duplicate-messages, reordered-messages, power-cut, orchestrator-restart, broker-restart)")]
    [InlineData("crash-loop=1.5", "entry 1 'crash-loop=1.5': the share of 'crash-loop' must be a number from 0 to 1 (e.g. 0.05 for 5 %), got '1.5'")]
    [InlineData("crash-loop=-0.1", "the share of 'crash-loop' must be a number from 0 to 1")]
    [InlineData("crash-loop=five", "got 'five'")]
    [InlineData("crash-loop=", "got ''")]
    [InlineData("crash-loop=NaN", "got 'NaN'")]
    [InlineData("crash-loop", "entry 1 'crash-loop': 'crash-loop' needs the share of devices it hits, e.g. 'crash-loop=0.05'")]
    [InlineData("orchestrator-restart=0.5", "entry 1 'orchestrator-restart=0.5': 'orchestrator-restart' is a run-level flag and takes no share")]
    [InlineData("crash-loop=0.1,crash-loop=0.2", "entry 2 'crash-loop=0.2': fault 'crash-loop' is given more than once")]
    [InlineData("orchestrator-restart,orchestrator-restart", "entry 2 'orchestrator-restart': fault 'orchestrator-restart' is given more than once")]
    [InlineData("crash-loop=0.1,,power-cut=0.1", "entry 2 is empty")]
    [InlineData("crash-loop=0.1,", "entry 2 is empty")]
    [InlineData("Crash-Loop=0.1", "unknown fault 'Crash-Loop'")]
    public void Bad_input_is_refused_with_the_entry_and_the_reason(string text, string expected)
    {
        var e = Assert.Throws<FaultPlanFormatException>(() => FaultPlan.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parsing_random_text_either_succeeds_or_throws_a_format_error()
    {
        var random = new Random(20261124);
        const string alphabet = "crash-loop=0.15,orchestrat-restart powe-cut1e=NaN ";
        for (int i = 0; i < 5000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            try
            {
                var plan = FaultPlan.Parse(text);
                Assert.All(plan.Shares.Values, s => Assert.InRange(s, 0, 1));
            }
            catch (FaultPlanFormatException)
            {
                // the expected way to refuse
            }
        }
    }
}
