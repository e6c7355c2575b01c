using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

/// <summary>
/// The device view's last state is the device's latest report, also during a saga, where reports that move no
/// transition are not journaled (it used to stay at the preflight report until the saga ended).
/// </summary>
public sealed class LatestReportSpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void A_report_during_the_download_shows_in_the_view_without_being_journaled()
    {
        ToDownloading();
        var before = View();
        var staged = Fleet.Report() with { StagedVersion = Fleet.New, LastResetCause = ResetCause.Software };

        Reports(staged);

        var after = View();
        Assert.Equal(SagaPhase.Downloading, after.Saga!.Phase);
        Assert.Equal(before.EventCount, after.EventCount);
        Assert.Equal(staged, after.LastReport);
        Assert.NotEqual(before.LastReport, after.LastReport);
    }

    [Fact]
    public void After_a_restart_the_view_falls_back_to_the_journaled_report()
    {
        ToDownloading();
        var journaled = View().LastReport;
        Reports(Fleet.Report() with { StagedVersion = Fleet.New });

        StopActor();
        StartActor();

        Assert.Equal(journaled, View().LastReport);
    }
}
