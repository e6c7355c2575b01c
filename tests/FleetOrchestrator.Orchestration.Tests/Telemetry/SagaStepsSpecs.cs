using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Telemetry;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Orchestration.Tests.Telemetry;

/// <summary>
/// Which step an event ends and since when, read from the saga's own history (the metrics' and spans' times).
/// </summary>
public sealed class SagaStepsSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    [Fact]
    public void A_saga_with_a_retried_download_times_each_step_from_its_first_event()
    {
        var saga = UpdateSaga.Begin(
            new UpdateRequested(T0, "u-1", "r-1", Fleet.Target(), Fleet.Policy(), "c-1", At(60)));
        var steps = new List<SagaStepTiming>();
        IDeviceActorEvent[] events =
        [
            new PreflightPassed(At(1), 1, Fleet.Old, BankId.Bank1, Fleet.Report(),
                new DownloadCommanded(At(1), 1, "d-1", 0, At(100))),
            new DownloadAttemptFailed(At(5), 2, 1, "timeout", 100, At(6)),
            new DownloadCommanded(At(6), 2, "d-2", 100, At(100)),
            new StagedCrcVerified(At(20), 3, Fleet.New, 0x1234, new SwapAuthorized(At(20), "s-1", At(200))),
            new SwapAcknowledged(At(21), 4, At(200)),
            new BootConfirmed(At(30), 5, Fleet.New, BankId.Bank2, 1, At(90)),
            new CommitCommanded(At(90), "k-1", At(300)),
            new UpdateSucceeded(At(91), 6, Fleet.New),
        ];
        foreach (var e in events)
        {
            saga = saga.Apply(e);
            if (SagaSteps.Ended(saga, e) is { } step) steps.Add(step);
        }

        Assert.Equal(
        [
            new SagaStepTiming(SagaSteps.Download, At(1), At(20)),
            new SagaStepTiming(SagaSteps.SwapToBoot, At(20), At(30)),
            new SagaStepTiming(SagaSteps.Health, At(30), At(90)),
            new SagaStepTiming(SagaSteps.Update, T0, At(91)),
        ], steps);
    }

    [Fact]
    public void A_terminal_outcome_ends_the_update_step_once_and_later_observations_end_nothing()
    {
        var saga = UpdateSaga.Begin(
            new UpdateRequested(T0, "u-1", null, Fleet.Target(), Fleet.Policy(), "c-1", At(60)));
        var refused = new DeviceRefused(At(2), 1, "rom too old", Fleet.Report());
        saga = saga.Apply(refused);
        Assert.Equal(new SagaStepTiming(SagaSteps.Update, T0, At(2)), SagaSteps.Ended(saga, refused));

        var later = new DevicePresenceObserved(At(2), true);
        Assert.Null(SagaSteps.Ended(saga.Apply(later), later));
    }
}
