using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>The saga authorizes the swap only inside the device's maintenance window; the download is not held back,
/// and the wait is a persisted deadline.</summary>
public sealed class SwapWindowSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    /// <summary>A one-hour window (UTC) that opens two hours after the virtual clock's now.</summary>
    private SwapWindow LaterToday()
    {
        var start = TimeOnly.FromDateTime(Clock.Now.UtcDateTime.AddHours(2));
        start = new TimeOnly(start.Hour, start.Minute);
        return new SwapWindow(start, start.AddHours(1), "+00:00");
    }

    private StartDownload StagedOutsideTheWindow(SwapWindow window)
    {
        Policy = Policy with { SwapWindow = window };
        var download = ToDownloading();
        Acks(download.Id);
        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        return download;
    }

    [Fact]
    public void A_staged_image_outside_the_window_waits_for_its_opening_then_the_swap_is_authorized()
    {
        var window = LaterToday();
        StagedOutsideTheWindow(window);
        ExpectNoCommand();
        var saga = View().Saga!;
        Assert.Equal(SagaPhase.Staged, saga.Phase);
        Assert.Equal("SwapWindowAwaited", saga.History[^1].Fact);

        var opening = window.NextOpening(Clock.Now);
        Advance(opening - Clock.Now - TimeSpan.FromSeconds(1));
        ExpectNoCommand();
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal($"{UpdateId}-swap", ExpectCommand<AuthorizeSwap>().Id);
        Assert.Equal(SagaPhase.AwaitingSwapAck, Phase());
    }

    [Fact]
    public void Inside_the_window_the_swap_follows_the_verified_crc_at_once()
    {
        var now = TimeOnly.FromDateTime(Clock.Now.UtcDateTime);
        Policy = Policy with { SwapWindow = new SwapWindow(now.AddHours(-1), now.AddHours(1), null) };
        Assert.Equal($"{UpdateId}-swap", ToAwaitingSwapAck().Id);
    }

    [Fact]
    public void The_wait_for_the_window_survives_a_restart_of_the_saga()
    {
        var window = LaterToday();
        StagedOutsideTheWindow(window);
        StopActor();

        StartActor();
        ExpectNoCommand();
        Assert.Equal(SagaPhase.Staged, Phase());
        Advance(window.NextOpening(Clock.Now) - Clock.Now);
        ExpectCommand<AuthorizeSwap>();
    }

    [Fact]
    public void An_activation_outside_the_window_is_taken_and_the_swap_waits_for_the_opening()
    {
        var window = LaterToday();
        Policy = Policy with { ActivateAutomatically = false };
        StagedOutsideTheWindow(window);
        ExpectNoCommand();
        Assert.Null(View().Saga!.History.LastOrDefault(h => h.Fact == "SwapWindowAwaited"));

        Saga.Tell(new ActivateUpdate(DeviceId, UpdateId), TestActor);
        var reply = ExpectMsg<SagaRequestReply>();
        Assert.True(reply.Accepted);
        Assert.Equal(SwapWindow.AwaitingReason, reply.Reason);
        ExpectNoCommand();
        // Asked again (the rollout re-sends until answered): the same answer, nothing new journaled.
        var events = View().Saga!.History.Count;
        Saga.Tell(new ActivateUpdate(DeviceId, UpdateId), TestActor);
        Assert.Equal(SwapWindow.AwaitingReason, ExpectMsg<SagaRequestReply>().Reason);
        Assert.Equal(events, View().Saga!.History.Count);

        Advance(window.NextOpening(Clock.Now) - Clock.Now);
        ExpectCommand<AuthorizeSwap>();
    }

    [Fact]
    public void A_saga_with_a_window_in_an_unknown_zone_never_starts()
    {
        StartActor();
        var reply = StartUpdate(policy: Policy with { SwapWindow = new SwapWindow(new(2, 0), new(5, 0), "Nowhere") });
        Assert.False(reply.Accepted);
        Assert.Contains("'Nowhere'", reply.Reason);
    }
}
