using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Tests.Support;
using static FleetOrchestrator.Simulation.Tests.Support.SimulationRig;

namespace FleetOrchestrator.Simulation.Tests.Devices;

/// <summary>
/// A scripted orchestrator drives one simulated device through the real embedded broker and the real download endpoint,
/// step by step as PROTOCOL.md §13 shows, and checks every answer and the device's own truth.
/// </summary>
public sealed class DeviceUpdateTests(RigFixture fixture) : IClassFixture<RigFixture>
{
    private SimulationRig Rig => fixture.Rig;

    [Fact]
    public async Task A_whole_update_stages_swaps_boots_on_trial_in_the_other_bank_and_commits()
    {
        const string id = "upd-ok";
        var image = Rig.Publish(V110);
        var device = await Rig.StartDeviceAsync(id);

        await Rig.SendAsync(id, new GetState("ok-state"));
        var state = await Rig.Traffic.Answer<StateReported>(id, "ok-state");
        Assert.Equal((V100, BankId.Bank1, ImageState.Committed, false), (state.State.RunningVersion, state.State.ActiveBank, state.State.ImageState, state.State.Bfb2));
        Assert.Equal("stm32l072cz", state.State.Hardware.Target);
        Assert.Null(state.State.StagedVersion);

        await Rig.SendAsync(id, Rig.Download(id, "ok-dl-1", image));
        Assert.True((await Rig.Traffic.Answer<CommandAcknowledged>(id, "ok-dl-1")).Accepted);
        var staged = await Rig.Traffic.Answer<ImageStaged>(id, "ok-dl-1");
        Assert.Equal((V110, image.Bytes.Length, image.Crc), (staged.Version, staged.Size, staged.Crc));
        var progress = Assert.Single(Rig.Traffic.All<DownloadProgress>(id));
        Assert.Equal(image.Bytes.Length, progress.TotalBytes);
        await Rig.Traffic.WaitFor<DeviceStateReport>(id, s => s.StagedVersion == V110);
        Assert.All(Rig.Tap.RangesOf(id), r => Assert.StartsWith("bytes=", r));
        Assert.Equal(image.Bytes.Length / 4096, Rig.Tap.RangesOf(id).Count);

        await Rig.SendAsync(id, new AuthorizeSwap("ok-swap", V110, image.Crc));
        Assert.True((await Rig.Traffic.Answer<CommandAcknowledged>(id, "ok-swap")).Accepted);
        var booted = await Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.CommandId == "ok-swap");
        Assert.Equal((V110, BankId.Bank2, ImageState.Trial, ResetCause.OptionByteLoad, 1),
            (booted.Version, booted.ActiveBank, booted.ImageState, booted.ResetCause, booted.TrialBootCount));
        Assert.True((await Rig.Traffic.WaitFor<HealthReported>(id)).Healthy);
        // The reset was a real link loss: a second MQTT connection, announced online again.
        Assert.Equal(2, device.Counters.Connects);
        Assert.Equal(2, Rig.Traffic.All<DevicePresence>(id).Count(p => p.Online));

        await Rig.SendAsync(id, new CommitImage("ok-commit", V110));
        Assert.Equal(V110, (await Rig.Traffic.Answer<ImageCommitted>(id, "ok-commit")).Version);
        var final = await Rig.Traffic.WaitFor<DeviceStateReport>(id, s => s.RunningVersion == V110 && s.ImageState == ImageState.Committed);
        Assert.Equal((BankId.Bank2, true, image.Crc), (final.ActiveBank, final.Bfb2, final.ActiveImageCrc));

        var truth = device.Truth();
        Assert.Equal((DeviceRunState.Running, V110, 2, UpdatePhase.Committed), (truth.RunState, truth.RunningVersion, truth.ActiveBank, truth.Phase));
        // seq never goes down on the evt topic (no message faults on this device).
        var seqs = Rig.Traffic.All<DeviceEvent>(id).Select(e => e.Sequence).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.Empty(Rig.Traffic.Rejected);
    }

    [Fact]
    public async Task A_repeated_command_id_is_answered_again_without_acting_twice()
    {
        const string id = "upd-repeat";
        var image = Rig.Publish(V110);
        var device = await Rig.StartDeviceAsync(id);
        var download = Rig.Download(id, "rep-dl-1", image);

        await Rig.SendAsync(id, download);
        var first = await Rig.Traffic.Answer<ImageStaged>(id, "rep-dl-1");
        int requests = Rig.Tap.RangesOf(id).Count;

        await Rig.SendAsync(id, download);
        var again = await Rig.Traffic.Answer<ImageStaged>(id, "rep-dl-1", s => s.Sequence > first.Sequence);
        Assert.Equal((first.Version, first.Size, first.Crc), (again.Version, again.Size, again.Crc));
        await device.IdleAsync();
        Assert.Equal(requests, Rig.Tap.RangesOf(id).Count); // no second transfer
        Assert.Single(Rig.Traffic.All<CommandAcknowledged>(id), a => a.CommandId == "rep-dl-1");

        // The swap id survives the reset: repeated after the reboot it is acknowledged, and the device does not swap back.
        await Rig.SendAsync(id, new AuthorizeSwap("rep-swap", V110, image.Crc));
        await Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.CommandId == "rep-swap");
        long resetsAfterSwap = device.Counters.Reboots;
        await Rig.SendAsync(id, new AuthorizeSwap("rep-swap", V110, image.Crc));
        await Rig.Traffic.WaitFor<CommandAcknowledged>(id, a => a.CommandId == "rep-swap" && a.Sequence >> 32 > first.Sequence >> 32);
        await device.IdleAsync();
        Assert.Equal(resetsAfterSwap, device.Counters.Reboots);
        Assert.Equal((V110, UpdatePhase.Trial), (device.Truth().RunningVersion, device.Truth().Phase));
    }

    [Fact]
    public async Task A_corrupted_transfer_reports_the_mismatching_crc_then_succeeds_after_erase_and_a_new_download()
    {
        const string id = "upd-corrupt";
        var image = Rig.Publish(V110);
        var device = await Rig.StartDeviceAsync(id, new DeviceFaults { CorruptTransfer = true });

        await Rig.SendAsync(id, Rig.Download(id, "cor-dl-1", image));
        var failed = await Rig.Traffic.Answer<StagingFailed>(id, "cor-dl-1");
        Assert.Equal(ErrorReasons.Integrity, failed.Reason);
        Assert.Contains($"the manifest says 0x{image.Crc:X8}", failed.Detail);
        Assert.Matches("CRC unit gives 0x[0-9A-F]{8}", failed.Detail);
        Assert.DoesNotContain($"gives 0x{image.Crc:X8}", failed.Detail);
        Assert.Null(device.Truth().Staged);

        await Rig.SendAsync(id, new EraseStaged("cor-erase-1"));
        Assert.True((await Rig.Traffic.Answer<CommandAcknowledged>(id, "cor-erase-1")).Accepted);
        await Rig.SendAsync(id, Rig.Download(id, "cor-dl-2", image));
        var staged = await Rig.Traffic.Answer<ImageStaged>(id, "cor-dl-2");
        Assert.Equal(image.Crc, staged.Crc);
        Assert.Equal(image.Crc, device.Truth().Staged?.Crc);
    }

    [Theory]
    [InlineData(ImageBehaviour.CrashLoop, "crash")]
    [InlineData(ImageBehaviour.Hang, "hang")]
    public async Task An_image_that_never_comes_up_is_reverted_by_the_boot_guard(ImageBehaviour behaviour, string tag)
    {
        string id = "upd-guard-" + tag;
        var image = Rig.Publish(V110, behaviour);
        var device = await Rig.StartDeviceAsync(id);
        await Rig.SendAsync(id, Rig.Download(id, tag + "-dl", image));
        await Rig.Traffic.Answer<ImageStaged>(id, tag + "-dl");

        await Rig.SendAsync(id, new AuthorizeSwap(tag + "-swap", V110, image.Crc));
        Assert.True((await Rig.Traffic.Answer<CommandAcknowledged>(id, tag + "-swap")).Accepted);
        var rolledBack = await Rig.Traffic.WaitFor<RolledBackOnDevice>(id);
        Assert.Equal((V100, ErrorReasons.BootGuard, (string?)null), (rolledBack.Version, rolledBack.Reason, rolledBack.CommandId));
        var booted = Rig.Traffic.All<DeviceBooted>(id)[^1];
        Assert.Equal((V100, BankId.Bank1, ImageState.Committed, 3), (booted.Version, booted.ActiveBank, booted.ImageState, booted.TrialBootCount));
        Assert.True(booted.Sequence < rolledBack.Sequence);
        await Rig.Traffic.WaitFor<DeviceStateReport>(id, s => s.RunningVersion == V100 && s.ActiveBank == BankId.Bank1 && !s.Bfb2);

        var truth = device.Truth();
        Assert.Equal((V100, 1, UpdatePhase.RolledBack), (truth.RunningVersion, truth.ActiveBank, truth.Phase));
        Assert.Equal(behaviour == ImageBehaviour.Hang ? RevertReason.WatchdogLoop : RevertReason.CrashLoop, truth.LastRevert);
        // Three IWDG periods (about 7 s each) of simulated time pass while a hanging image is reverted.
        if (behaviour == ImageBehaviour.Hang) Assert.True(device.SimulatedTime > TimeSpan.FromSeconds(20), $"{device.SimulatedTime}");
    }

    [Fact]
    public async Task A_rollback_command_reverts_an_unhealthy_trial_and_reports_the_previous_version()
    {
        const string id = "upd-rollback";
        var image = Rig.Publish(V110, ImageBehaviour.FailsHealth);
        var device = await Rig.StartDeviceAsync(id);
        await Rig.SendAsync(id, Rig.Download(id, "rb-dl", image));
        await Rig.Traffic.Answer<ImageStaged>(id, "rb-dl");
        await Rig.SendAsync(id, new AuthorizeSwap("rb-swap", V110, image.Crc));
        await Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.CommandId == "rb-swap" && b.ImageState == ImageState.Trial);
        Assert.False((await Rig.Traffic.WaitFor<HealthReported>(id)).Healthy);

        await Rig.SendAsync(id, new RollBack("rb-rollback", "health"));
        Assert.True((await Rig.Traffic.Answer<CommandAcknowledged>(id, "rb-rollback")).Accepted);
        var booted = await Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.CommandId == "rb-rollback");
        Assert.Equal((V100, BankId.Bank1, ImageState.Committed), (booted.Version, booted.ActiveBank, booted.ImageState));
        var rolledBack = await Rig.Traffic.Answer<RolledBackOnDevice>(id, "rb-rollback");
        Assert.Equal((V100, ErrorReasons.Command), (rolledBack.Version, rolledBack.Reason));
        Assert.Equal((V100, UpdatePhase.RolledBack, RevertReason.Commanded), (device.Truth().RunningVersion, device.Truth().Phase, device.Truth().LastRevert));

        // Repeated after the reset: the same answer, no second revert.
        await Rig.SendAsync(id, new RollBack("rb-rollback", "health"));
        await Rig.Traffic.Answer<RolledBackOnDevice>(id, "rb-rollback", r => r.Sequence > rolledBack.Sequence);
        await device.IdleAsync();
        Assert.Equal(2, Rig.Traffic.All<DeviceBooted>(id).Count(b => b.Version == V100)); // power-on and the rollback only
    }

    [Theory]
    [InlineData(ImageBehaviour.Boots, TrialHealth.Passed, "good")]
    [InlineData(ImageBehaviour.FailsHealth, TrialHealth.Failed, "bad")]
    public async Task A_device_on_trial_reports_its_verdict_in_its_state_and_refuses_downloads_as_trial_pending(
        ImageBehaviour behaviour, TrialHealth verdict, string tag)
    {
        string id = "upd-trial-" + tag;
        var image = Rig.Publish(V110, behaviour);
        var next = Rig.Publish(new Firmware.Versioning.SemanticVersion(1, 2, 0));
        await Rig.StartDeviceAsync(id);
        await Rig.SendAsync(id, Rig.Download(id, tag + "-dl", image));
        await Rig.Traffic.Answer<ImageStaged>(id, tag + "-dl");
        await Rig.SendAsync(id, new AuthorizeSwap(tag + "-swap", V110, image.Crc));
        await Rig.Traffic.WaitFor<DeviceBooted>(id,
            b => b.CommandId == tag + "-swap" && b.ImageState == ImageState.Trial);

        // PROTOCOL.md §6.3: while on trial the state carries the self-test verdict (for an orchestrator that missed
        // the health event, e.g. because it was down or the device slept)
        await Rig.SendAsync(id, new GetState(tag + "-state"));
        var state = await Rig.Traffic.Answer<StateReported>(id, tag + "-state");
        Assert.Equal((ImageState.Trial, (TrialHealth?)verdict), (state.State.ImageState, state.State.Health));

        // §8.2 step 1: no new image while the trial runs (the inactive bank holds the fallback)
        await Rig.SendAsync(id, Rig.Download(id, tag + "-dl-next", next));
        var refused = await Rig.Traffic.Answer<CommandAcknowledged>(id, tag + "-dl-next");
        Assert.Equal((false, ErrorReasons.TrialPending), (refused.Accepted, refused.Reason));

        // once the trial is resolved the state carries no verdict
        await Rig.SendAsync(id, new RollBack(tag + "-rollback", "leftover-trial"));
        await Rig.Traffic.Answer<RolledBackOnDevice>(id, tag + "-rollback");
        await Rig.SendAsync(id, new GetState(tag + "-state-after"));
        var after = await Rig.Traffic.Answer<StateReported>(id, tag + "-state-after");
        Assert.Equal((ImageState.Committed, (TrialHealth?)null), (after.State.ImageState, after.State.Health));
    }

    [Fact]
    public async Task An_interrupted_transfer_reports_where_to_resume_and_the_next_download_continues_from_there()
    {
        const string id = "upd-resume";
        const int interruptAt = 12 * 4096;
        var image = Rig.Publish(V110);
        var device = await Rig.StartDeviceAsync(id);
        Rig.Tap.FailFrom(id, interruptAt);

        await Rig.SendAsync(id, Rig.Download(id, "res-dl-1", image));
        var failed = await Rig.Traffic.Answer<StagingFailed>(id, "res-dl-1");
        Assert.Equal((ErrorReasons.Download, interruptAt), (failed.Reason, failed.ResumeOffset));
        Assert.Contains("503", failed.Detail);
        int before = Rig.Tap.RangesOf(id).Count;

        Rig.Tap.StopFailing(id);
        await Rig.SendAsync(id, Rig.Download(id, "res-dl-2", image, resumeOffset: interruptAt));
        var staged = await Rig.Traffic.Answer<ImageStaged>(id, "res-dl-2");
        Assert.Equal(image.Crc, staged.Crc);
        var resumed = Rig.Tap.RangesOf(id).Skip(before).ToList();
        Assert.Equal($"bytes={interruptAt}-{interruptAt + 4095}", resumed[0]);
        Assert.Equal((image.Bytes.Length - interruptAt) / 4096, resumed.Count);
        Assert.Equal(image.Crc, device.Truth().Staged?.Crc);
    }

    [Fact]
    public async Task A_duplicate_messages_device_sends_every_event_twice_with_the_same_seq()
    {
        const string id = "upd-dup";
        await Rig.StartDeviceAsync(id, new DeviceFaults { DuplicateMessages = true });
        await Rig.SendAsync(id, new GetState("dup-state"));
        await Rig.Traffic.WaitForNth<StateReported>(id, 2, s => s.CommandId == "dup-state");
        var answers = Rig.Traffic.All<StateReported>(id).Where(s => s.CommandId == "dup-state").ToList();
        Assert.Equal(2, answers.Count);
        Assert.Equal(answers[0].Sequence, answers[1].Sequence);
        Assert.Equal(2, Rig.Traffic.All<DeviceBooted>(id).Count);
    }

    [Fact]
    public async Task A_power_cut_during_staging_reboots_the_device_and_a_new_download_stages_the_image()
    {
        const string id = "upd-cut";
        var image = Rig.Publish(V110);
        var device = await Rig.StartDeviceAsync(id, new DeviceFaults { PowerCutAtOperation = 500 });

        await Rig.SendAsync(id, Rig.Download(id, "cut-dl-1", image));
        var rebooted = await Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.Sequence >> 32 > 1);
        Assert.Equal((V100, ResetCause.PowerOn, BankId.Bank1), (rebooted.Version, rebooted.ResetCause, rebooted.ActiveBank));
        Assert.Empty(Rig.Traffic.All<ImageStaged>(id));

        await Rig.SendAsync(id, Rig.Download(id, "cut-dl-2", image));
        Assert.Equal(image.Crc, (await Rig.Traffic.Answer<ImageStaged>(id, "cut-dl-2")).Crc);
        Assert.Equal(1, device.Counters.Reboots);
    }
    [Fact]
    public async Task A_reordering_device_swaps_consecutive_events_but_loses_none()
    {
        const string id = "upd-reorder";
        var image = Rig.Publish(V110);
        await Rig.StartDeviceAsync(id, new DeviceFaults { ReorderedMessages = true }, FaultSettings.Default with { ReorderProbability = 1 });

        await Rig.SendAsync(id, Rig.Download(id, "ro-dl", image));
        await Rig.Traffic.Answer<ImageStaged>(id, "ro-dl");
        await Rig.Traffic.Answer<CommandAcknowledged>(id, "ro-dl");
        await Rig.Traffic.Answer<DownloadProgress>(id, "ro-dl");

        var seqs = Rig.Traffic.All<DeviceEvent>(id).Select(e => e.Sequence).ToList();
        Assert.Contains(Enumerable.Range(1, seqs.Count - 1), i => seqs[i] < seqs[i - 1]);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        Assert.Equal(3, Rig.Traffic.All<DeviceEvent>(id).Count(e => e.CommandId == "ro-dl")); // ack, progress, staged; nothing twice
    }

    [Fact]
    public async Task An_offline_during_swap_device_stays_away_for_the_configured_simulated_time_then_boots_the_trial()
    {
        const string id = "upd-offline";
        var image = Rig.Publish(V110);
        var device = await Rig.StartDeviceAsync(id, new DeviceFaults { OfflineDuringSwap = true },
            FaultSettings.Default with { OfflineDuringSwap = TimeSpan.FromMinutes(7) });
        await Rig.SendAsync(id, Rig.Download(id, "off-dl", image));
        await Rig.Traffic.Answer<ImageStaged>(id, "off-dl");
        var beforeSwap = device.SimulatedTime;

        await Rig.SendAsync(id, new AuthorizeSwap("off-swap", V110, image.Crc));
        var booted = await Rig.Traffic.WaitFor<DeviceBooted>(id, b => b.CommandId == "off-swap");

        Assert.Equal((V110, ImageState.Trial), (booted.Version, booted.ImageState));
        Assert.True(device.SimulatedTime - beforeSwap >= TimeSpan.FromMinutes(7), $"{device.SimulatedTime - beforeSwap}");
    }
    [Fact]
    public async Task A_chunk_that_fails_in_transit_is_fetched_again_from_the_same_offset()
    {
        const string id = "upd-retry";
        var image = Rig.Publish(V110);
        var device = await Rig.StartDeviceAsync(id);
        Rig.Tap.FailOnce(id, 5 * 4096);

        await Rig.SendAsync(id, Rig.Download(id, "rt-dl", image));
        Assert.Equal(image.Crc, (await Rig.Traffic.Answer<ImageStaged>(id, "rt-dl")).Crc);

        var ranges = Rig.Tap.RangesOf(id);
        Assert.Equal(2, ranges.Count(r => r == $"bytes={5 * 4096}-{6 * 4096 - 1}"));
        Assert.Equal(image.Bytes.Length / 4096 + 1, ranges.Count);
        Assert.Equal(1, device.Counters.ChunkRetries);
    }
    [Fact]
    public async Task A_command_sent_while_the_device_reboots_waits_in_its_session_and_is_answered_after_the_reconnect()
    {
        const string id = "upd-queued";
        var image = Rig.Publish(V110);
        // 10 simulated minutes away after the swap, compressed 2000 times: the device is really offline for 0.3 s.
        var device = await Rig.StartDeviceAsync(id, new DeviceFaults { OfflineDuringSwap = true },
            FaultSettings.Default with { OfflineDuringSwap = TimeSpan.FromMinutes(10) }, new TimeCompression(2000));
        await Rig.SendAsync(id, Rig.Download(id, "q-dl", image));
        await Rig.Traffic.Answer<ImageStaged>(id, "q-dl");

        await Rig.SendAsync(id, new AuthorizeSwap("q-swap", V110, image.Crc));
        var ack = await Rig.Traffic.Answer<CommandAcknowledged>(id, "q-swap");
        await Rig.Traffic.WaitFor<DevicePresence>(id, p => !p.Online); // the will: the link is down
        await Rig.SendAsync(id, new GetState("q-state"));

        var answer = await Rig.Traffic.Answer<StateReported>(id, "q-state");
        Assert.True(answer.Sequence >> 32 > ack.Sequence >> 32, "answered after the reset");
        Assert.Equal((V110, ImageState.Trial, BankId.Bank2), (answer.State.RunningVersion, answer.State.ImageState, answer.State.ActiveBank));
        Assert.Equal(2, device.Counters.Connects);
    }
    [Fact]
    public async Task On_an_lte_m_link_a_96_kb_download_costs_the_simulated_time_of_24_requests_plus_the_flash_work()
    {
        const string id = "upd-ltem";
        var image = Rig.Publish(V110);
        var link = LinkProfile.LteM with { DropProbability = 0 };
        var device = await Rig.StartDeviceAsync(id, time: new TimeCompression(100_000), link: link);
        var before = device.SimulatedTime;

        await Rig.SendAsync(id, Rig.Download(id, "lte-dl", image));
        await Rig.Traffic.Answer<ImageStaged>(id, "lte-dl");

        var transfer = TimeSpan.FromTicks(link.RequestTime(4096).Ticks * 24);
        var flash = TimeSpan.FromMilliseconds(3.2 * (768 + 1536));
        var spent = device.SimulatedTime - before;
        Assert.InRange(spent, transfer + flash, transfer + flash + TimeSpan.FromSeconds(2));
    }
}
