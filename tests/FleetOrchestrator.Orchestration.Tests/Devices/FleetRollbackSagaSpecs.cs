using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// A saga towards the previous image (a fleet rollback, PROTOCOL.md §8.8): swap back to the image intact in the
/// device's inactive bank with no download, or download it under the downgrade-allowing manifest.
/// </summary>
public sealed class FleetRollbackSagaSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    private const uint OldCrc = 0x6A3F19C2;
    private const int OldSize = 57_344;

    private static UpdateTarget Previous(bool allowDowngrade = true) => new(
        "fw-1.0.0", Fleet.Old, new SignedManifestDto("ZG93bmdyYWRl", "c2ln", "key-1"),
        "https://artifacts.example/fw-1.0.0.bin", OldSize, OldCrc, "stm32l072cz", new SemanticVersion(1, 0, 0),
        allowDowngrade);

    /// <summary>The device runs 1.1.0 committed from bank 2; its inactive bank holds what <paramref name="bank"/>
    /// says.</summary>
    private static DeviceStateReport Committed(InactiveBankImage? bank) =>
        Fleet.Report(Fleet.New, BankId.Bank2) with { InactiveBank = bank };

    private static InactiveBankImage Intact => new(Fleet.Old, OldSize, OldCrc, true);

    private GetState BeginRollback(bool activateAutomatically = true, bool allowDowngrade = true)
    {
        StartActor();
        var started = StartUpdate(policy: Policy with { ActivateAutomatically = activateAutomatically },
            target: Previous(allowDowngrade));
        Assert.True(started.Accepted);
        return ExpectCommand<GetState>();
    }

    [Fact]
    public void An_intact_previous_image_is_swapped_back_without_a_download_then_confirmed_and_committed()
    {
        var check = BeginRollback();

        Reports(Committed(Intact), check.Id);

        var swap = ExpectCommand<AuthorizeSwap>();
        Assert.Equal(Fleet.Old, swap.Version);
        Assert.Equal(OldCrc, swap.ExpectedCrc);
        Assert.Equal(SagaPhase.AwaitingSwapAck, Phase());
        Acks(swap.Id);
        Boots(Fleet.Old, BankId.Bank1);
        Assert.Equal(SagaPhase.HealthWindow, Phase());
        HealthPasses();
        Advance(Policy.HealthWindow);
        var commit = ExpectCommand<CommitImage>();
        Assert.Equal(Fleet.Old, commit.Version);
        FromDevice(new ImageCommitted(commit.Id, NextSequence(), Fleet.Old));
        ExpectOutcome(UpdateOutcome.Updated);

        var saga = View().Saga!;
        Assert.Equal(
            ["UpdateRequested", "PreflightPassed", "InactiveBankImageVerified", "SwapAuthorized", "SwapAcknowledged",
             "BootConfirmed", "HealthPassed", "CommitCommanded", "UpdateSucceeded"],
            saga.History.Select(t => t.Fact));
        Assert.StartsWith("swap back (no download)", saga.History[2].Detail);
        Assert.Equal(SagaPhase.Staged, saga.History[2].Phase);
    }

    [Fact]
    public void The_swap_back_waits_for_the_devices_maintenance_window_like_any_swap()
    {
        var start = TimeOnly.FromDateTime(Clock.Now.UtcDateTime.AddHours(2));
        var window = new SwapWindow(new TimeOnly(start.Hour, start.Minute), start.AddHours(1), null);
        Policy = Policy with { SwapWindow = window };
        var check = BeginRollback();

        Reports(Committed(Intact), check.Id);
        ExpectNoCommand();
        Assert.Equal(["PreflightPassed", "InactiveBankImageVerified", "SwapWindowAwaited"],
            View().Saga!.History.Skip(1).Select(t => t.Fact));
        Advance(window.NextOpening(Clock.Now) - Clock.Now);
        Assert.Equal(Fleet.Old, ExpectCommand<AuthorizeSwap>().Version);
    }

    private static readonly string[] NotUsableKinds =
        ["damaged", "other-crc", "other-version", "other-size", "absent"];

    public static TheoryData<string> NotUsable => new(NotUsableKinds);

    private static InactiveBankImage? Bank(string kind) => kind switch
    {
        "damaged" => Intact with { Intact = false, Crc = 0xBADBAD00 },
        "other-crc" => Intact with { Crc = OldCrc ^ 1 },
        "other-version" => Intact with { Version = new SemanticVersion(0, 9, 0) },
        "other-size" => Intact with { Size = OldSize - 4 },
        "absent" => null,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(NotUsable))]
    public void Without_the_intact_previous_image_the_previous_artifact_is_downloaded_under_its_downgrade_manifest(
        string inactiveBank)
    {
        var check = BeginRollback();

        Reports(Committed(Bank(inactiveBank)), check.Id);

        var download = ExpectCommand<StartDownload>();
        Assert.Equal(Previous().Manifest, download.Manifest);
        Assert.Equal(Previous().Url, download.Url);
        Assert.Equal(SagaPhase.Downloading, Phase());
        var commanded = View().Saga!.History.Single(t => t.Fact == "DownloadCommanded");
        Assert.Contains("download previous (downgrade: 1.1.0 to 1.0.0", commanded.Detail);
        Assert.Contains("downgradeAllowed=true", commanded.Detail);
        Assert.DoesNotContain(View().Saga!.History, t => t.Fact == "InactiveBankImageVerified");
    }

    [Fact]
    public void The_downloaded_previous_image_is_then_swapped_to_like_any_update()
    {
        var check = BeginRollback();
        Reports(Committed(Bank("damaged")), check.Id);
        var download = ExpectCommand<StartDownload>();
        Acks(download.Id);

        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.Old, OldSize, OldCrc));

        var swap = ExpectCommand<AuthorizeSwap>();
        Assert.Equal(Fleet.Old, swap.Version);
        Assert.Equal(OldCrc, swap.ExpectedCrc);
    }

    [Fact]
    public void An_ordinary_downgrade_is_refused_even_when_the_older_image_is_intact_in_the_other_bank()
    {
        var check = BeginRollback(allowDowngrade: false);

        Reports(Committed(Intact), check.Id);

        var outcome = ExpectOutcome(UpdateOutcome.Incompatible);
        Assert.StartsWith("downgrade:", outcome.Reason);
        ExpectNoCommand();
    }

    [Fact]
    public void With_activation_by_the_operator_the_swap_back_waits_staged_and_goes_out_on_activate()
    {
        var check = BeginRollback(activateAutomatically: false);
        Reports(Committed(Intact), check.Id);
        ExpectNoCommand();
        Assert.Equal(SagaPhase.Staged, Phase());

        Saga.Tell(new ActivateUpdate(DeviceId, UpdateId), TestActor);
        Assert.True(ExpectMsg<SagaRequestReply>().Accepted);

        var swap = ExpectCommand<AuthorizeSwap>();
        Assert.Equal(OldCrc, swap.ExpectedCrc);
    }

    [Fact]
    public void Cancelling_a_staged_swap_back_erases_nothing_the_other_bank_keeps_the_devices_previous_image()
    {
        var check = BeginRollback(activateAutomatically: false);
        Reports(Committed(Intact), check.Id);
        Assert.Equal(SagaPhase.Staged, Phase());

        Saga.Tell(new CancelUpdate(DeviceId, UpdateId, "rollout cancelled"), TestActor);

        Assert.True(ExpectMsg<SagaRequestReply>().Accepted);
        ExpectOutcome(UpdateOutcome.Cancelled);
        ExpectNoCommand();
    }

    [Fact]
    public void The_swap_back_survives_a_restart_of_the_orchestrator_and_resends_the_same_swap()
    {
        var check = BeginRollback();
        Reports(Committed(Intact), check.Id);
        var swap = ExpectCommand<AuthorizeSwap>();

        StopActor();
        StartActor();
        View();

        // The outstanding swap (same id) and, as after any restart once the swap may have happened, a state question.
        var sent = Device.ReceiveN(2, TimeSpan.FromSeconds(3)).Cast<CommandSent>().Select(c => c.Command).ToList();
        Assert.Contains(sent, c => c is AuthorizeSwap again && again.Id == swap.Id && again.ExpectedCrc == OldCrc);
        Assert.Contains(View().Saga!.History, t => t.Fact == "InactiveBankImageVerified");
    }

    [Fact]
    public void The_check_is_the_inactive_banks_version_size_crc_and_intact_flag_together()
    {
        Assert.True(UpdateDecider.HoldsTargetIntact(Committed(Intact), Previous()));
        foreach (var kind in NotUsableKinds)
            Assert.False(UpdateDecider.HoldsTargetIntact(Committed(Bank(kind)), Previous()), kind);
    }
}
