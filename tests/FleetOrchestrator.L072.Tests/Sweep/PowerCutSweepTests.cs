using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Sweep;

namespace FleetOrchestrator.L072.Tests.Sweep;

public class PowerCutSweepTests
{
    [Fact]
    public void Every_cut_of_a_full_bank_update_keeps_the_device_bootable_and_ends_on_the_new_image()
    {
        var result = PowerCutSweep.Run(TestImages.Old, TestImages.New);

        Assert.True(result.Operations > 2300, $"expected > 2300 operations, got {result.Operations}");
        Assert.Equal(result.Operations, result.Cuts);
        Assert.Empty(result.Failures.Select(f => $"{f.CutBeforeOperation} {f.Operation.Kind}: {f.Outcome.Result} {f.Outcome.Detail}").Take(5));
        Assert.Equal(0, result.Bricked);
        Assert.Equal(result.Cuts, result.Completed);
        Assert.Equal(768, result.OperationsByKind[NvmOperationKind.PageErase]);
        Assert.Equal(1536, result.OperationsByKind[NvmOperationKind.HalfPageProgram]);
    }
}
