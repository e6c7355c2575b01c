using System.Web;
using Akka.Actor;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;
using FleetOrchestrator.Server.Downloads;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// Every download command carries a URL granted when it is sent: the one minted with the request dies with its grant
/// (24 h) while a persisted saga backs off or sits out a restart. The grants run on the test's virtual clock and are
/// checked by the server's own <see cref="DownloadGrants"/>.
/// </summary>
public sealed class DownloadUrlSpecs : SagaSpec
{
    private static readonly TimeSpan GrantLifetime = TimeSpan.FromHours(24);
    private readonly DownloadGrants _grants;

    public DownloadUrlSpecs(ITestOutputHelper output) : base(output)
    {
        _grants = new DownloadGrants(new byte[32], GrantLifetime, new SchedulerTime(Sys.Scheduler));
        UrlGranter = new Granter(_grants);
    }

    [Fact]
    public void The_first_download_carries_a_granted_url_not_the_requested_one()
    {
        var download = ToDownloading();
        Assert.NotEqual(Fleet.Target().Url, download.Url);
        Assert.True(Verify(download.Url).Allowed);
    }

    [Fact]
    public void A_download_resent_after_a_recovery_past_the_grant_lifetime_carries_a_fresh_grant()
    {
        var first = ToDownloading();
        StopActor();
        Clock.Advance(GrantLifetime + TimeSpan.FromHours(1));
        Assert.False(Verify(first.Url).Allowed); // the URL the saga sent first is dead now

        StartActor();
        var resent = ExpectCommand<StartDownload>();
        Assert.Equal(first.Id, resent.Id); // same command, same id (idempotent on the device)
        Assert.NotEqual(first.Url, resent.Url);
        Assert.True(Verify(resent.Url).Allowed);
        Assert.True(ExpiryOf(resent.Url) > ExpiryOf(first.Url));
    }

    [Fact]
    public void A_later_download_attempt_carries_a_fresh_grant()
    {
        Policy = Fleet.Policy() with { DownloadAttemptTimeout = GrantLifetime + TimeSpan.FromHours(1) };
        var first = ToDownloading();
        Advance(Policy.DownloadAttemptTimeout);
        Advance(Policy.BackoffBefore(2));
        var second = ExpectCommandAfterResends<StartDownload>($"{UpdateId}-dl2");
        Assert.False(Verify(first.Url).Allowed);
        Assert.True(Verify(second.Url).Allowed);
    }

    private GrantVerdict Verify(string url)
    {
        var uri = new Uri(url);
        var query = HttpUtility.ParseQueryString(uri.Query);
        return _grants.Verify(DeviceId, Fleet.Target().ArtifactId, query["device"], query["exp"], query["sig"]);
    }

    private static long ExpiryOf(string url) => long.Parse(HttpUtility.ParseQueryString(new Uri(url).Query)["exp"]!);

    private sealed class Granter(DownloadGrants grants) : IDownloadUrlGranter
    {
        public Uri Grant(string deviceId, string artifactId) =>
            grants.Issue(deviceId, artifactId).ToUrl(new Uri("https://fleet.example/"));
    }

    /// <summary>The grants' clock is the actor system's (virtual) scheduler clock.</summary>
    private sealed class SchedulerTime(IScheduler scheduler) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => scheduler.Now;
    }
}
