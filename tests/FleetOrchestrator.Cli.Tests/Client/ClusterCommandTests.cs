namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// `fleet cluster` against a real single-node `fleet serve` composition: the one member is up, reachable, the leader
/// and
/// this node; after an update its device shard and saga are counted. (Three nodes: FleetOrchestrator.Cluster.Tests.)
/// </summary>
public sealed class ClusterCommandTests
{
    [Fact]
    public async Task A_single_node_is_the_up_leader_of_its_own_cluster_and_hosts_the_saga_of_an_update()
    {
        await using var server = await ClientTestServer.StartAsync();
        var registered = await server.RunAsync("devices", "register", "dev-c1", "--json");
        Assert.True(registered.ExitCode == 0, registered.ToString());
        var artifact = await server.RunAsync("artifacts", "upload",
            await ClientVerbsTests.ImageFileAsync(server.Directory, "1.1.0"), "--version", "1.1.0", "--json");
        var artifactId = artifact.Json().GetProperty("artifact").GetProperty("id").GetString()!;
        Assert.Equal(0, (await server.RunAsync("update", "--artifact", artifactId, "dev-c1")).ExitCode);

        var json = await ClientPoll.UntilAsync(() => server.RunAsync("cluster", "--json"),
            r => r.ExitCode == 0 && r.Json().GetProperty("members")[0].GetProperty("deviceEntities").GetInt32() >= 1,
            "the update's saga counted on the node");

        var view = json.Json();
        var member = Assert.Single(view.GetProperty("members").EnumerateArray());
        Assert.Equal(view.GetProperty("self").GetString(), member.GetProperty("address").GetString());
        Assert.Equal(view.GetProperty("leader").GetString(), member.GetProperty("address").GetString());
        Assert.Equal("up", member.GetProperty("status").GetString());
        Assert.True(member.GetProperty("reachable").GetBoolean());
        Assert.True(view.GetProperty("shardsComplete").GetBoolean());
        Assert.Equal(1, member.GetProperty("deviceShards").GetInt32());
        Assert.Single(member.GetProperty("deviceShardIds").EnumerateArray());
        var table = await server.RunAsync("cluster");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("(this node) (leader)", table.Out);
        Assert.Contains("up", table.Out);
    }
}
