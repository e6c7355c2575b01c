using FleetOrchestrator.Simulation.Faults;

namespace FleetOrchestrator.Simulation.Tests.Faults;

public sealed class FaultAssignmentTests
{
    private static readonly IReadOnlyList<string> Ids = [.. Enumerable.Range(1, 1000).Select(i => $"dev-{i:00000}")];
    private static readonly FaultPlan Plan = FaultPlan.Parse("crash-loop=0.05,corrupt-transfer=0.1,duplicate-messages=0.2,power-cut=0.03,orchestrator-restart");

    [Fact]
    public void Each_fault_hits_exactly_its_share_of_the_fleet()
    {
        var faults = FaultAssignment.Assign(Plan, Ids, seed: 42);

        Assert.Equal(50, faults.Values.Count(f => f.CrashLoop));
        Assert.Equal(100, faults.Values.Count(f => f.CorruptTransfer));
        Assert.Equal(200, faults.Values.Count(f => f.DuplicateMessages));
        Assert.Equal(30, faults.Values.Count(f => f.PowerCutAtOperation is not null));
        Assert.Equal(0, faults.Values.Count(f => f.OfflineDuringSwap || f.ReorderedMessages));
        Assert.All(faults.Values.Where(f => f.PowerCutAtOperation is not null),
            f => Assert.InRange(f.PowerCutAtOperation!.Value, 1, FaultSettings.Default.PowerCutOperationRange));
    }

    [Fact]
    public void The_same_seed_gives_the_same_assignment_and_another_seed_another()
    {
        var a = FaultAssignment.Assign(Plan, Ids, seed: 42);
        var b = FaultAssignment.Assign(Plan, Ids.Reverse().ToList(), seed: 42);
        var c = FaultAssignment.Assign(Plan, Ids, seed: 43);

        Assert.All(Ids, id => Assert.Equal(a[id], b[id]));
        Assert.NotEqual(Ids.Where(id => a[id].CorruptTransfer), Ids.Where(id => c[id].CorruptTransfer));
    }

    [Fact]
    public void Faults_are_drawn_independently_so_some_devices_carry_two()
    {
        var faults = FaultAssignment.Assign(FaultPlan.Parse("corrupt-transfer=0.5,duplicate-messages=0.5"), Ids, seed: 1);
        int both = faults.Values.Count(f => f.CorruptTransfer && f.DuplicateMessages);
        Assert.InRange(both, 150, 350); // about a quarter of the fleet
    }
}
