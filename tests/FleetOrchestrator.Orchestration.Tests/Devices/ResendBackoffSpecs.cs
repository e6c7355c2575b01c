using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>PROTOCOL.md §12: an unanswered command is re-sent (same id) after 30 s, 60 s, 120 s ... capped at
/// 15 min.</summary>
public sealed class ResendBackoffSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void The_default_policy_has_the_documented_backoff()
    {
        var p = UpdatePolicy.Default;
        Assert.Equal(
            [30, 60, 120, 240, 480, 900, 900],
            Enumerable.Range(1, 7).Select(n => p.ResendDelay(n).TotalSeconds).ToArray());
    }

    [Fact]
    public void Re_sends_of_one_command_double_their_wait_up_to_the_cap_and_deadlines_stay_put()
    {
        Policy = Fleet.Policy() with
        {
            ResendInterval = TimeSpan.FromSeconds(30),
            ResendIntervalCap = TimeSpan.FromMinutes(2),
            ReachTimeout = TimeSpan.FromHours(1),
        };
        var check = Begin();
        var deadline = View().Saga!.Deadline;
        TimeSpan[] waits =
            [TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(120)];
        foreach (var wait in waits)
        {
            Advance(wait - TimeSpan.FromSeconds(1));
            ExpectNoCommand();
            Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(check.Id, ExpectCommand<GetState>().Id);
        }
        Assert.Equal(deadline, View().Saga!.Deadline);
    }
}
