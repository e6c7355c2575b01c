using System.Text.Json;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>The parts of <c>GET /api/cluster</c> the tests read.</summary>
public sealed record ClusterView(string Self, IReadOnlyList<ClusterView.Member> Members, bool ShardsComplete)
{
    public sealed record Member(string Address, string Status, bool Reachable, int DeviceShards, int DeviceEntities,
        int RolloutShards, IReadOnlyList<string> DeviceShardIds);

    public static ClusterView From(JsonElement json) => new(
        json.GetProperty("self").GetString()!,
        json.GetProperty("members").EnumerateArray().Select(m => new Member(
            m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!,
            m.GetProperty("reachable").GetBoolean(), m.GetProperty("deviceShards").GetInt32(),
            m.GetProperty("deviceEntities").GetInt32(), m.GetProperty("rolloutShards").GetInt32(),
            m.GetProperty("deviceShardIds").EnumerateArray().Select(i => i.GetString()!).ToList())).ToList(),
        json.GetProperty("shardsComplete").GetBoolean());

    public Member? Of(string address) => Members.FirstOrDefault(m => m.Address == address);

    public override string ToString() =>
        $"self {Self}, shards complete {ShardsComplete}: " + string.Join("; ", Members.Select(m =>
            $"{m.Address} {m.Status}{(m.Reachable ? "" : " UNREACHABLE")} devices {m.DeviceShards}/{m.DeviceEntities}"
            + $" rollouts {m.RolloutShards}"));
}
