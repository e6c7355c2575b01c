using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.L072.Sweep;

namespace FleetOrchestrator.L072.Tests.Sweep;

public class PowerCutSweepTests
{
    private static string Describe(SweepResult r) =>
        string.Join("\n", r.Failures.Take(5).Select(f => $"{f.CutBeforeOperation} {f.Operation.Kind}: {f.Outcome.Result} {f.Outcome.Detail}"));

    [Fact]
    public void Every_cut_of_a_full_bank_update_keeps_the_device_bootable_and_ends_on_the_new_image()
    {
        var result = PowerCutSweep.Run(TestImages.Old, TestImages.New);

        Assert.True(result.Operations > 2300, $"expected > 2300 operations, got {result.Operations}");
        Assert.Equal(result.Operations, result.Cuts);
        Assert.True(result.Failures.Count == 0, Describe(result));
        Assert.Equal(0, result.Bricked);
        Assert.Equal(result.Cuts, result.Completed);
        Assert.Equal(768, result.OperationsByKind[NvmOperationKind.PageErase]);
        Assert.Equal(1536, result.OperationsByKind[NvmOperationKind.HalfPageProgram]);
        Assert.Equal(1, result.OperationsByKind[NvmOperationKind.OptionByteWrite]);
        Assert.True(result.Passed);
    }

    [Fact]
    public void Torn_operations_do_not_brick_either()
    {
        var options = SweepOptions.Default with
        {
            Configuration = L072Configuration.Default with { Assumptions = new L072Assumptions { InterruptedOperation = InterruptedOperation.Torn } },
            ChunkSize = 100,
        };
        var result = PowerCutSweep.Run(TestImages.Small(TestImages.V1), TestImages.Small(TestImages.V2), options);
        Assert.True(result.Failures.Count == 0, Describe(result));
        Assert.True(result.Passed);
    }

    [Fact]
    public void The_procedure_also_updates_from_bank_2_back_to_bank_1()
    {
        // Second update: the device runs V2 from bank 2 (BFB2=1, UFB=1) when V3 arrives; V3 goes to physical bank 1
        // and BFB2 goes 1 -> 0.
        var device = new L072Device();
        device.LoadPhysicalBank(1, device.Pool.InternContent(TestImages.Small(TestImages.V1), device.Part.PagesPerBank));
        var agent = new UpdateAgent(device);
        agent.PowerOn();
        var procedure = new UpdateProcedure(TestImages.Small(TestImages.V2));
        Assert.Equal(ProcedureResult.Completed, procedure.Run(agent).Result);
        var v3 = SyntheticImage.Create(new Firmware.Versioning.SemanticVersion(1, 2, 0), size: 4096);
        long before = device.OperationCount;
        var second = new UpdateProcedure(v3).Run(agent);
        Assert.Equal(ProcedureResult.Completed, second.Result);
        var r = agent.Report();
        Assert.Equal(1, r.ActiveBank);
        Assert.False(r.Bfb2);
        Assert.True(device.OperationCount > before);
    }

    [Fact]
    public void A_sweep_reports_a_brick_when_the_design_is_unsafe()
    {
        // Negative control: with a ROM that stays in the bootloader on BFB2 (e.g. an RDP-2 part under the StaysInRom
        // assumption) the uninterrupted update itself strands the device, so the sweep refuses to start.
        var options = SweepOptions.Default with
        {
            Configuration = L072Configuration.Default with
            {
                Revision = SiliconRevision.B,
                Assumptions = new L072Assumptions { Bfb2BeforeRevisionZ = Bfb2Fallback.StaysInRom },
            },
        };
        var e = Assert.Throws<InvalidOperationException>(() => PowerCutSweep.Run(TestImages.Small(TestImages.V1), TestImages.Small(TestImages.V2), options));
        Assert.Contains("RomWaitingForHost", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ImageBehaviour.CrashLoop, false)]
    [InlineData(ImageBehaviour.Hang, false)]
    [InlineData(ImageBehaviour.FailsHealth, false)]
    [InlineData(ImageBehaviour.Boots, true)]
    public void Cuts_during_the_revert_of_a_bad_image_never_brick_and_always_end_on_the_old_image(ImageBehaviour behaviour, bool lacksVtorFix)
    {
        var bad = SyntheticImage.Create(TestImages.V2, behaviour, 4096, lacksVtorFix);
        var result = PowerCutSweep.Run(TestImages.Small(TestImages.V1), bad);
        Assert.Equal(ProcedureResult.RolledBack, result.ExpectedEnd);
        Assert.True(result.Failures.Count == 0, Describe(result));
        Assert.Equal(0, result.Bricked);
        Assert.Equal(result.Cuts, result.Completed);
    }

    [Fact]
    public void The_second_update_from_bank_2_back_to_bank_1_survives_every_cut()
    {
        var result = PowerCutSweep.Run(TestImages.Small(TestImages.V1), TestImages.Small(TestImages.V2), SweepOptions.Default with { Start = SweepStart.OldOnBank2 });
        Assert.Equal(ProcedureResult.Completed, result.ExpectedEnd);
        Assert.True(result.Failures.Count == 0, Describe(result));
        Assert.True(result.Passed);
    }
}

public class RandomMultiCutTests
{
    [Theory]
    [InlineData(InterruptedOperation.NotStarted)]
    [InlineData(InterruptedOperation.Torn)]
    public void Five_cuts_in_a_row_at_random_points_never_brick(InterruptedOperation mode)
    {
        // MCUboot's run_perm_with_random_fails(5): each cut lands in the first half of the remaining operations.
        var config = L072Configuration.Default with { Assumptions = new L072Assumptions { InterruptedOperation = mode } };
        var oldImage = TestImages.Small(TestImages.V1);
        var newImage = TestImages.Small(TestImages.V2);
        var baselineDevice = new L072Device(config);
        baselineDevice.LoadPhysicalBank(1, baselineDevice.Pool.InternContent(oldImage, baselineDevice.Part.PagesPerBank));
        var baselineAgent = new UpdateAgent(baselineDevice);
        baselineAgent.PowerOn();
        Assert.Equal(ProcedureResult.Completed, new UpdateProcedure(newImage).Run(baselineAgent).Result);
        long total = baselineDevice.OperationCount;

        var random = new Random(2026);
        int fired = 0;
        for (int run = 0; run < 200; run++)
        {
            var device = new L072Device(config);
            device.LoadPhysicalBank(1, device.Pool.InternContent(oldImage, device.Part.PagesPerBank));
            var agent = new UpdateAgent(device);
            int cutsLeft = 5;
            void ScheduleNext(L072Device d)
            {
                if (cutsLeft-- <= 0) return;
                long remaining = Math.Max(2, total - d.OperationCount);
                d.ScheduleCutBeforeOperation(d.OperationCount + 1 + random.NextInt64(remaining / 2));
            }
            ScheduleNext(device);
            var procedure = new UpdateProcedure(newImage, chunkSize: 100) { AfterPowerCut = ScheduleNext };
            try
            {
                agent.PowerOn();
            }
            catch (PowerLostException)
            {
                ScheduleNext(device);
            }
            var outcome = procedure.Run(agent);
            Assert.True(outcome.Result == ProcedureResult.Completed, $"run {run}: {outcome.Result} {outcome.Detail} after {device.PowerCutsInjected} cuts");
            fired += device.PowerCutsInjected;
        }
        Assert.True(fired >= 200 * 4, $"only {fired} cuts fired in 200 runs");
    }
}
