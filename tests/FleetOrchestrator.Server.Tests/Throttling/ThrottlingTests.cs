using FleetOrchestrator.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace FleetOrchestrator.Server.Tests.Throttling;

/// <summary>The shared helpers of src/Shared/Throttling (as compiled into the server), on a fake clock.</summary>
public sealed class ThrottlingTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_key_gets_its_burst_then_one_per_refill_and_learns_what_was_held_back()
    {
        var limiter = new KeyedRateLimiter(_time, burst: 3, refillEvery: TimeSpan.FromSeconds(10));

        int allowed = Enumerable.Range(0, 600).Count(_ => limiter.TryAcquire("dev-1", out _));
        Assert.Equal(3, allowed);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(limiter.TryAcquire("dev-1", out int suppressed));
        Assert.Equal(597, suppressed);
        Assert.False(limiter.TryAcquire("dev-1", out _));
        // Another key has its own budget.
        Assert.True(limiter.TryAcquire("dev-2", out int none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void A_full_key_table_forgets_idle_keys_instead_of_growing()
    {
        var limiter = new KeyedRateLimiter(_time, burst: 1, refillEvery: TimeSpan.FromSeconds(1), maxKeys: 100);
        for (int i = 0; i < 100; i++) limiter.TryAcquire($"k{i}", out _);
        _time.Advance(TimeSpan.FromSeconds(2));

        for (int i = 100; i < 1000; i++) Assert.True(limiter.TryAcquire($"k{i}", out _));
    }

    [Fact]
    public void Failures_are_free_then_double_up_to_the_cap()
    {
        var backoff = new FailureBackoff(_time, freeFailures: 2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5),
            TimeSpan.FromMinutes(15));

        var delays = Enumerable.Range(0, 7).Select(_ => backoff.RecordFailure("10.0.0.1").TotalSeconds).ToList();

        Assert.Equal([0, 0, 1, 2, 4, 5, 5], delays);
        Assert.Equal(TimeSpan.Zero, backoff.RecordFailure("10.0.0.2"));
    }

    [Fact]
    public void An_address_quiet_for_the_forget_period_starts_over()
    {
        var backoff = new FailureBackoff(_time, freeFailures: 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30),
            TimeSpan.FromMinutes(15));
        backoff.RecordFailure("a");
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.RecordFailure("a"));

        _time.Advance(TimeSpan.FromMinutes(15));

        Assert.Equal(TimeSpan.Zero, backoff.RecordFailure("a"));
    }

    [Fact]
    public void Many_failures_never_overflow_the_delay() =>
        Assert.Equal(TimeSpan.FromSeconds(30),
            new FailureBackoff(_time, 0, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1))
                .DelayAfter(int.MaxValue));
}
