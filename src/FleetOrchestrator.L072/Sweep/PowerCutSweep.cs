using System.Diagnostics;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.L072.Sweep;

/// <summary>
/// MCUboot-style power-cut sweep (anchors §5.1) over the modelled L072 and the update agent:
/// run the update once on a fresh device (OLD in bank 1, committed) to count its operations N; then for every
/// i in 1..N, on a fresh device, cut power before operation i, power up again and let <see cref="UpdateProcedure"/>
/// carry on from what the device reports. Every run must keep booting a valid image and end where the uninterrupted
/// run ended: NEW, committed, for a good image; OLD after the boot guard's revert for one that crash-loops or hangs
/// (MCUboot's revert-with-fails).
/// Runs are independent and run in parallel; they share one page pool, so each costs only its page tables.
/// </summary>
public static class PowerCutSweep
{
    public static SweepResult Run(byte[] oldImage, byte[] newImage, SweepOptions? options = null, IProgress<SweepProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= SweepOptions.Default;
        var part = options.Configuration.Part;
        if (oldImage.Length > part.BankBytes) throw new ArgumentException($"old image is {oldImage.Length} bytes, a bank holds {part.BankBytes}", nameof(oldImage));
        if (newImage.Length > part.BankBytes) throw new ArgumentException($"new image is {newImage.Length} bytes, a bank holds {part.BankBytes}", nameof(newImage));
        var clock = Stopwatch.StartNew();
        var oldContent = options.Pool.InternContent(oldImage, part.PagesPerBank);
        var procedure = new UpdateProcedure(newImage, options.ChunkSize);

        // Baseline: no cut, count operations.
        var (baselineDevice, baselineAgent) = Fresh();
        baselineDevice.OperationLog = [];
        baselineAgent.PowerOn();
        var baseline = procedure.Run(baselineAgent);
        if (baseline.Result is not (ProcedureResult.Completed or ProcedureResult.RolledBack))
            throw new InvalidOperationException($"the uninterrupted update does not complete: {baseline.Detail}");
        var expected = baseline.Result;
        var log = baselineDevice.OperationLog;
        long n = log.Count;
        var byKind = log.GroupBy(o => o.Kind).ToDictionary(g => g.Key, g => g.Count());

        var outcomes = new ProcedureOutcome[n];
        var cutFired = new bool[n];
        long done = 0;
        Parallel.For(1L, n + 1, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken }, i =>
        {
            var (device, agent) = Fresh();
            device.ScheduleCutBeforeOperation(i);
            try
            {
                agent.PowerOn();
            }
            catch (PowerLostException)
            {
                // cut during the very first boot's own writes: the procedure powers it up again
            }
            var outcome = procedure.Run(agent);
            cutFired[i - 1] = device.PowerCutsInjected == 1;
            outcomes[i - 1] = outcome;
            long d = Interlocked.Increment(ref done);
            if (progress is not null && (d % 64 == 0 || d == n)) progress.Report(new SweepProgress(d, n));
        });

        var failures = new List<SweepFailure>();
        long bricked = 0, completed = 0;
        for (long i = 0; i < n; i++)
        {
            var o = outcomes[i];
            if (!cutFired[i]) o = o with { Result = ProcedureResult.NotCompleted, Detail = "the cut never happened: the run diverged from the baseline before it. " + o.Detail };
            if (o.Result == ProcedureResult.Bricked) bricked++;
            if (o.Result == expected) completed++;
            else failures.Add(new SweepFailure(i + 1, log[(int)i], o));
        }
        return new SweepResult(n, n, bricked, completed, expected, byKind, failures, baselineDevice.Now, clock.Elapsed);

        (L072Device, UpdateAgent) Fresh()
        {
            if (options.Start == SweepStart.OldOnBank1)
            {
                var device = new L072Device(options.Configuration, options.Pool);
                device.LoadPhysicalBank(1, oldContent);
                return (device, new UpdateAgent(device, options.Agent));
            }
            // Second update: the ROM boots OLD from bank 2 because BFB2 is set; bank 1 holds the image before it
            // (here NEW's predecessor is modelled by OLD itself: only its validity matters to the boot logic).
            var config = options.Configuration with { InitialUserOption = (ushort)(options.Configuration.InitialUserOption | 0x0080) };
            var onBank2 = new L072Device(config, options.Pool);
            onBank2.LoadPhysicalBank(1, oldContent);
            onBank2.LoadPhysicalBank(2, oldContent);
            return (onBank2, new UpdateAgent(onBank2, options.Agent));
        }
    }
}
