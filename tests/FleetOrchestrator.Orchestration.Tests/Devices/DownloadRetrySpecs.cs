using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Devices;

public sealed class DownloadRetrySpecs(ITestOutputHelper output) : SagaSpec(output)
{
    [Fact]
    public void Backoff_doubles_from_the_base_up_to_the_cap()
    {
        var policy = new UpdatePolicy { BackoffBase = TimeSpan.FromSeconds(30), BackoffCap = TimeSpan.FromMinutes(3) };
        Assert.Equal(TimeSpan.FromSeconds(30), policy.BackoffBefore(2));
        Assert.Equal(TimeSpan.FromSeconds(60), policy.BackoffBefore(3));
        Assert.Equal(TimeSpan.FromSeconds(120), policy.BackoffBefore(4));
        Assert.Equal(TimeSpan.FromMinutes(3), policy.BackoffBefore(5));
        Assert.Equal(TimeSpan.FromMinutes(3), policy.BackoffBefore(40));
    }

    [Fact]
    public void A_silent_download_times_out_and_is_retried_after_the_backoff_resuming_at_the_last_progress()
    {
        var first = ToDownloading();
        Acks(first.Id);
        FromDevice(new DownloadProgress(first.Id, NextSequence(), 32_768, 90_000));

        Advance(Policy.DownloadAttemptTimeout);
        Assert.Equal(SagaPhase.DownloadBackoff, Phase());
        ExpectOnlyResendsOf(first.Id); // the attempt was re-sent (same id) while it ran

        Advance(Policy.BackoffBefore(2) - TimeSpan.FromSeconds(1));
        ExpectNoCommand();
        Advance(TimeSpan.FromSeconds(1));
        var second = ExpectCommand<StartDownload>();
        Assert.Equal($"{UpdateId}-dl2", second.Id);
        Assert.Equal(32_768, second.ResumeOffset);

        // An answer to the first attempt is stale now.
        FromDevice(new ImageStaged(first.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        ExpectNoCommand();
        Assert.Equal(SagaPhase.Downloading, Phase());

        FromDevice(new ImageStaged(second.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        ExpectCommand<AuthorizeSwap>();
    }

    [Fact]
    public void A_staged_answer_lost_on_its_way_is_recovered_by_re_sending_the_download_with_the_same_id()
    {
        // The device stages and answers; the answer is lost between the broker and the saga (in a cluster: taken by
        // a node that died before routing it). The re-send's answer is the device's latest answer to that id.
        var download = ToDownloading();
        Acks(download.Id);
        Advance(Policy.ResendInterval);
        var again = ExpectCommand<StartDownload>();
        Assert.Equal(download.Id, again.Id);
        Assert.Equal(0, again.ResumeOffset);

        FromDevice(new ImageStaged(download.Id, NextSequence(), Fleet.New, 90_000, Fleet.NewCrc));
        ExpectCommand<AuthorizeSwap>();
    }

    [Fact]
    public void A_device_that_never_answers_any_download_attempt_is_lost()
    {
        ToDownloading();
        for (var attempt = 2; attempt <= Policy.MaxDownloadAttempts; attempt++)
        {
            Advance(Policy.DownloadAttemptTimeout);
            Advance(Policy.BackoffBefore(attempt));
            ExpectCommandAfterResends<StartDownload>($"{UpdateId}-dl{attempt}");
        }
        Advance(Policy.DownloadAttemptTimeout);
        Assert.Contains("download attempts", ExpectOutcome(UpdateOutcome.Lost).Reason);
        ExpectOnlyResendsOf($"{UpdateId}-dl{Policy.MaxDownloadAttempts}");
    }

    [Fact]
    public void A_device_that_accepted_but_never_staged_fails_with_download()
    {
        var download = ToDownloading();
        Acks(download.Id);
        for (var attempt = 2; attempt <= Policy.MaxDownloadAttempts; attempt++)
        {
            Advance(Policy.DownloadAttemptTimeout);
            Advance(Policy.BackoffBefore(attempt));
            ExpectCommand<StartDownload>();
        }
        Advance(Policy.DownloadAttemptTimeout);
        Assert.StartsWith("download:", ExpectOutcome(UpdateOutcome.Failed).Reason);
    }

    [Fact]
    public void A_reported_download_failure_is_retried_from_the_device_offset()
    {
        var download = ToDownloading();
        FromDevice(new StagingFailed(download.Id, NextSequence(), "download", "connection reset", 65_536));
        Assert.Equal(SagaPhase.DownloadBackoff, Phase());
        Advance(Policy.BackoffBefore(2));
        var retry = ExpectCommand<StartDownload>();
        Assert.Equal(65_536, retry.ResumeOffset);
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("too-large")]
    [InlineData("downgrade")]
    public void Non_retryable_staging_failures_fail_at_once(string reason)
    {
        var download = ToDownloading();
        FromDevice(new StagingFailed(download.Id, NextSequence(), reason, "detail", 0));
        Assert.StartsWith(reason, ExpectOutcome(UpdateOutcome.Failed).Reason);
        ExpectNoCommand();
    }

    [Fact]
    public void A_refused_download_command_fails()
    {
        var download = ToDownloading();
        Acks(download.Id, accepted: false, reason: "busy");
        Assert.Equal("download-refused: busy", ExpectOutcome(UpdateOutcome.Failed).Reason);
    }

    [Fact]
    public void A_crc_mismatch_erases_and_retries_and_a_second_one_fails_integrity()
    {
        var first = ToDownloading();
        FromDevice(new ImageStaged(first.Id, NextSequence(), Fleet.New, 90_000, 0xBAD0BAD0));
        var erase = ExpectCommand<EraseStaged>();
        Assert.Equal($"{UpdateId}-erase1", erase.Id);
        Assert.Equal(SagaPhase.DownloadBackoff, Phase());

        Advance(Policy.BackoffBefore(2));
        var second = ExpectCommand<StartDownload>();
        Assert.Equal(0, second.ResumeOffset);

        FromDevice(new ImageStaged(second.Id, NextSequence(), Fleet.New, 90_000, 0xBAD0BAD1));
        Assert.StartsWith("integrity:", ExpectOutcome(UpdateOutcome.Failed).Reason);
        // the last rejected image is erased too (PROTOCOL.md §12): it must not stay staged
        Assert.Equal($"{UpdateId}-erase2", ExpectCommand<EraseStaged>().Id);
        Assert.Equal(2, View().Saga!.History.Count(t => t.Fact is "CrcMismatchDetected" or "SagaFailed"));
    }

    [Fact]
    public void Progress_is_never_persisted_one_event_per_transition()
    {
        var download = ToDownloading();
        var before = View().EventCount;
        for (var i = 1; i <= 20; i++)
            FromDevice(new DownloadProgress(download.Id, NextSequence(), i * 4096, 90_000));
        Assert.Equal(before, View().EventCount);
        Assert.Equal(20 * 4096, View().Saga!.DownloadedBytes);
    }
}
