using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// One input, one journaled event: the download decided on a passing preflight travels inside
/// <see cref="PreflightPassed"/>, the automatic swap inside <see cref="StagedCrcVerified"/>. Journals written before
/// carry them as separate events; both must recover to the same saga, read model row and commands.
/// </summary>
public sealed class FoldedCommandEventSpecs
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly UpdateRequested Requested = new(At, "u1", null, Fleet.Target(), Fleet.Policy(), "u1-check", At.AddHours(1));
    private static readonly DownloadCommanded Download = new(At, 1, "u1-dl1", 0, At.AddMinutes(30));
    private static readonly SwapAuthorized Swap = new(At.AddMinutes(5), "u1-swap", At.AddMinutes(15));
    private static readonly PreflightPassed Preflight = new(At, 4, Fleet.Old, BankId.Bank1, Fleet.Report());
    private static readonly StagedCrcVerified Staged = new(At.AddMinutes(5), 6, Fleet.New, Fleet.NewCrc);

    private static readonly IDeviceActorEvent[] Folded =
        [Requested, Preflight with { FirstDownload = Download }, Staged with { Swap = Swap }];

    private static readonly IDeviceActorEvent[] Separate = [Requested, Preflight, Download, Staged, Swap];

    [Fact]
    public void Folded_and_separate_journals_recover_to_the_same_saga()
    {
        var folded = Replay(Folded).Saga!;
        var separate = Replay(Separate).Saga!;

        Assert.Equal(SagaPhase.AwaitingSwapAck, folded.Phase);
        Assert.Equal("u1-swap", folded.CurrentCommandId);
        Assert.Equal(Swap.Deadline, folded.Deadline);
        Assert.Equal(separate.History.Select(t => (t.Fact, t.Phase)), folded.History.Select(t => (t.Fact, t.Phase)));
        Assert.Equal(separate with { History = folded.History, DeadlineGeneration = folded.DeadlineGeneration }, folded);
        Assert.Equal(3, Replay(Folded).EventCount);
    }

    [Fact]
    public void A_folded_event_sends_the_command_it_carries()
    {
        var afterPreflight = Replay(Folded.Take(2)).Saga!;
        var afterStaged = Replay(Folded).Saga!;

        var download = Assert.IsType<StartDownload>(SagaEffects.CommandFor(Folded[1], afterPreflight));
        Assert.Equal("u1-dl1", download.Id);
        var swap = Assert.IsType<AuthorizeSwap>(SagaEffects.CommandFor(Folded[2], afterStaged));
        Assert.Equal("u1-swap", swap.Id);
        Assert.Null(SagaEffects.CommandFor(Staged, afterStaged));
    }

    [Fact]
    public void The_read_model_shows_the_phase_the_folded_command_leads_to()
    {
        var row = FleetDeviceRow.Empty("d1", At);
        var afterPreflight = Folded.Take(2).Aggregate(row, FleetProjection.Apply);
        var afterStaged = Folded.Aggregate(row, FleetProjection.Apply);

        Assert.Equal(SagaPhase.Downloading, afterPreflight.Phase);
        Assert.Equal(SagaPhase.AwaitingSwapAck, afterStaged.Phase);
        Assert.Equal(SagaPhase.AwaitingSwapAck, Separate.Aggregate(row, FleetProjection.Apply).Phase);
    }

    private static DeviceState Replay(IEnumerable<IDeviceActorEvent> events) =>
        events.Aggregate(DeviceState.Empty("d1"), (s, e) => s.Apply(e));
}
