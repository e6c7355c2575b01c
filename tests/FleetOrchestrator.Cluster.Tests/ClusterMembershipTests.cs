using FleetOrchestrator.Cluster.Tests.Rig;

namespace FleetOrchestrator.Cluster.Tests;

/// <summary>
/// Three `fleet serve` processes on one PostgreSQL and one Mosquitto form one cluster from their configuration; a
/// node killed with SIGKILL is downed by the split-brain resolver (keep-majority: two of three stay) and the
/// survivors go on; the same node started again joins as a new incarnation.
/// </summary>
[Trait("Category", "Cluster")]
public sealed class ClusterMembershipTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Three_nodes_form_a_cluster_a_killed_node_is_downed_and_a_restarted_one_rejoins()
    {
        await using var rig = await ClusterRig.StartAsync();
        var (n1, n2, n3) = (rig.Nodes[0], rig.Nodes[1], rig.Nodes[2]);
        foreach (var node in rig.Nodes) await rig.WaitForMembersAsync(node, rig.Nodes, Deadline);

        n2.Kill();
        var after = await rig.WaitForMembersAsync(n1, [n1, n3], Deadline);
        Assert.DoesNotContain(after.Members, m => m.Address == n2.RemotingAddress);
        await rig.WaitForMembersAsync(n3, [n1, n3], Deadline);

        await n2.StartAsync();
        foreach (var node in rig.Nodes) await rig.WaitForMembersAsync(node, rig.Nodes, Deadline);
    }
}
