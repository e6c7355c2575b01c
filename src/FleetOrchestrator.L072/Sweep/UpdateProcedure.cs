using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Sweep;

/// <summary>
/// The update as an orchestrator drives it: look at what the device reports, send the next command, repeat.
/// Power it up whenever it is off (after a cut). Stage in chunks as a network download would, swap once the staged
/// CRC matches, commit once the new image runs on trial. Every step is decided from the report alone, so a cut at
/// any point is followed by a resume or a restart of the right step. A new image that fails its trial (crash loop,
/// IWDG loop: the boot guard reverts; failed health check: the procedure rolls back) ends
/// <see cref="ProcedureResult.RolledBack"/>.
/// </summary>
public sealed class UpdateProcedure(byte[] newImage, int chunkSize = 1024, int maxSteps = 64)
{
    private readonly uint _newCrc = Stm32Crc.Compute(newImage);

    public uint NewImageCrc => _newCrc;

    /// <summary>Called after each power cut, before the device is powered up again (e.g. to schedule the next cut).</summary>
    public Action<L072Device>? AfterPowerCut { get; init; }

    public ProcedureOutcome Run(UpdateAgent agent)
    {
        var device = agent.Device;
        int cuts = 0;
        bool reverified = false, revertReverified = false;
        for (int step = 1; step <= maxSteps; step++)
        {
            try
            {
                if (!device.IsPowered) agent.PowerOn();
                var report = agent.Report();
                if (report.RunState != DeviceRunState.Running)
                    return new ProcedureOutcome(ProcedureResult.Bricked, $"no image runs after power-up: {report.RunState}", report, step, cuts);

                if (report.RunningImageCrc == _newCrc)
                {
                    if (report.Phase == UpdatePhase.Trial)
                    {
                        // An orchestrator commits only a healthy trial image; an unhealthy one is rolled back.
                        if (report.HealthOk) agent.Commit();
                        else agent.RollBack();
                        continue;
                    }
                    if (reverified)
                    {
                        return ActiveBankHoldsNewImage(device)
                            ? new ProcedureOutcome(ProcedureResult.Completed, "runs the new image, committed", report, step, cuts)
                            : new ProcedureOutcome(ProcedureResult.NotCompleted, "reports the new CRC but the bank differs", report, step, cuts);
                    }
                    // Like MCUboot's sim: boot once more and check it stays.
                    reverified = true;
                    device.PowerOff();
                    continue;
                }

                if (report.LastRevert == RevertReason.SwapNotBooted)
                    return new ProcedureOutcome(ProcedureResult.NotCompleted, "the part did not boot the new bank after the swap (SwapNotBooted): no dual-bank boot on this ROM/silicon?", report, step, cuts);
                if (report.Phase == UpdatePhase.RolledBack)
                {
                    if (report.LastRevert is not (RevertReason.CrashLoop or RevertReason.WatchdogLoop or RevertReason.Commanded))
                        return new ProcedureOutcome(ProcedureResult.NotCompleted, $"rolled back ({report.LastRevert})", report, step, cuts);
                    if (revertReverified)
                        return new ProcedureOutcome(ProcedureResult.RolledBack, $"the new image was reverted ({report.LastRevert}); the old image runs", report, step, cuts);
                    // A bad new image: the boot guard's revert is the expected end. Check it stays after a power cycle.
                    revertReverified = true;
                    device.PowerOff();
                    continue;
                }

                if (report.Staged?.Crc == _newCrc)
                {
                    agent.AuthorizeSwap(_newCrc);
                    continue;
                }
                Stage(agent);
            }
            catch (PowerLostException)
            {
                cuts++;
                AfterPowerCut?.Invoke(device);
            }
        }
        return new ProcedureOutcome(ProcedureResult.NotCompleted, $"not finished after {maxSteps} steps", agent.Report(), maxSteps, cuts);
    }

    private void Stage(UpdateAgent agent)
    {
        if (!agent.BeginStaging(newImage.Length, _newCrc).Succeeded) return;
        for (int offset = 0; offset < newImage.Length; offset += chunkSize)
        {
            int n = Math.Min(chunkSize, newImage.Length - offset);
            if (!agent.WriteChunk(offset, newImage.AsSpan(offset, n)).Succeeded) return;
        }
        agent.FinishStaging();
    }

    private bool ActiveBankHoldsNewImage(L072Device device)
    {
        var bytes = new byte[newImage.Length];
        device.ReadFlash(L072Part.FlashBase, bytes);
        return bytes.AsSpan().SequenceEqual(newImage);
    }
}
