using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>A saga never starts on input that would put invalid commands on the wire or could never finish.</summary>
public sealed class StartValidationSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Theory]
    [InlineData("has space", "not valid on the wire")]
    [InlineData("slash/not-allowed", "not valid on the wire")]
    [InlineData("this-update-id-is-far-too-long-for-the-sixty-four-character-limit", "characters long")]
    [InlineData("", "empty")]
    public void An_update_id_that_makes_invalid_command_ids_is_refused(string updateId, string why)
    {
        StartActor();
        var reply = StartUpdate(updateId);
        Assert.False(reply.Accepted);
        Assert.StartsWith("invalid: ", reply.Reason);
        Assert.Contains(why, reply.Reason);
        ExpectNoCommand();
        Assert.Null(View().Saga);
    }

    [Fact]
    public void The_longest_valid_update_id_is_accepted()
    {
        var longest = new string('u', 64 - "-cancel-erase".Length);
        Assert.Null(CommandIds.DescribeUpdateIdProblem(longest, 5));
        Assert.NotNull(CommandIds.DescribeUpdateIdProblem(longest + "u", 5));
        StartActor();
        Assert.True(StartUpdate(longest).Accepted);
    }

    [Theory]
    [InlineData("attempts")]
    [InlineData("integrity")]
    [InlineData("backoff")]
    [InlineData("health")]
    [InlineData("resend")]
    public void A_policy_that_cannot_run_is_refused(string broken)
    {
        var policy = broken switch
        {
            "attempts" => Fleet.Policy() with { MaxDownloadAttempts = 0 },
            "integrity" => Fleet.Policy() with { MaxIntegrityFailures = 0 },
            "backoff" => Fleet.Policy() with { BackoffCap = TimeSpan.FromSeconds(1), BackoffBase = TimeSpan.FromMinutes(1) },
            "health" => Fleet.Policy() with { HealthWindow = TimeSpan.Zero },
            _ => Fleet.Policy() with { ResendInterval = TimeSpan.FromSeconds(-1) },
        };
        Assert.NotNull(policy.DescribeProblem());
        StartActor();
        var reply = StartUpdate(policy: policy);
        Assert.False(reply.Accepted);
        Assert.StartsWith("invalid: ", reply.Reason);
        Assert.Equal(SagaPhase.None, reply.Phase);
        ExpectNoCommand();
    }

    [Fact]
    public void The_default_policy_is_valid() => Assert.Null(UpdatePolicy.Default.DescribeProblem());
}
