using Akka.Actor;
using Akka.Hosting;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Adapters;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Sharding;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Host.Tests.Serve;

/// <summary>The operator's update order as the actors see it: late answers, unknown ids, the order's policy.</summary>
public sealed class ShardedUpdateCommandsTests(OrchestratorFixture fixture) : IClassFixture<OrchestratorFixture>
{
    private TestOrchestrator Fleet => fixture.Fleet;

    /// <summary>A shard region that takes the StartUpdate and never answers (slow journal, rebalancing).</summary>
    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(m => Recorded.Add(m));

        public static readonly System.Collections.Concurrent.ConcurrentBag<object> Recorded = [];
    }

    private async Task<StoredArtifact> ArtifactAsync()
    {
        var upload = await Fleet.Operator.UploadAsync(SyntheticImage.Create(new SemanticVersion(1, 3, 0)), "1.3.0");
        var id = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
        return Fleet.Host.Web.Services.GetRequiredService<ArtifactStore>().Get(id)!;
    }

    private ShardedUpdateCommands Commands(IActorRef region, Func<string, bool> isProvisioned) => new(
        () => region, Fleet.Host.Web.Services.GetRequiredService<DownloadUrls>(), UpdatePolicy.Default, isProvisioned,
        () => ActorRegistry.For(Fleet.Host.System).Get<RolloutRegion>(), askTimeout: TimeSpan.FromMilliseconds(300));

    [Fact]
    public async Task A_saga_that_does_not_answer_in_time_is_pending_not_refused()
    {
        var silent = Fleet.Host.System.ActorOf(Props.Create(() => new Silent()));
        var order = new UpdateOrder(await ArtifactAsync(), ["slow-1"]);
        var decisions = await Commands(silent, _ => true).StartUpdateAsync(order, default);

        var decision = Assert.Single(decisions);
        Assert.Equal((false, UpdateDecision.PendingStatus), (decision.Accepted, decision.Status));
        Assert.Contains("GET /api/devices/slow-1", decision.Reason);
    }

    [Fact]
    public async Task Unknown_devices_are_never_asked_and_the_order_policy_reaches_the_saga()
    {
        var silent = Fleet.Host.System.ActorOf(Props.Create(() => new Silent()));
        var overrides = new UpdatePolicyOverrides { HealthWindow = TimeSpan.FromMinutes(2) };
        var order = new UpdateOrder(await ArtifactAsync(), ["known-2", "ghost-2"], overrides);
        var decisions = await Commands(silent, id => id == "known-2").StartUpdateAsync(order, default);

        Assert.Equal(UpdateDecision.UnknownDeviceStatus, decisions.Single(d => d.DeviceId == "ghost-2").Status);
        var starts = Silent.Recorded.OfType<StartUpdate>().Where(s => s.DeviceId is "known-2" or "ghost-2").ToList();
        var start = Assert.Single(starts);
        Assert.Equal("known-2", start.DeviceId);
        Assert.Equal(TimeSpan.FromMinutes(2), start.Policy.HealthWindow);
        Assert.Equal(UpdatePolicy.Default.BootTimeout, start.Policy.BootTimeout);
    }
}
