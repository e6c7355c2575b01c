using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Simulation.Links.KeepAlive;
using Microsoft.Extensions.Time.Testing;

namespace FleetOrchestrator.Simulation.Tests.Links.KeepAlive;

/// <summary>The shared ping timer on virtual time: when it pings, when it stops, and what an unanswered ping does.</summary>
public sealed class SharedKeepAliveTests
{
    private readonly FakeTimeProvider _time = new();

    // Second by second, as the real clock would tick the timer.
    private void Run(int seconds)
    {
        for (int i = 0; i < seconds; i++) _time.Advance(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Each_connection_is_pinged_every_half_keep_alive_and_no_more_once_its_registration_is_disposed()
    {
        using var keepAlive = new SharedKeepAlive(TimeSpan.FromSeconds(1), _time);
        int pingsA = 0, pingsB = 0;
        using var a = keepAlive.Register(TimeSpan.FromSeconds(60), _ => { pingsA++; return Task.CompletedTask; }, _ => { });
        var b = keepAlive.Register(TimeSpan.FromSeconds(20), _ => { pingsB++; return Task.CompletedTask; }, _ => { });

        Run(9);
        Assert.Equal((0, 0), (pingsA, pingsB));
        Run(1);
        Assert.Equal((0, 1), (pingsA, pingsB));
        Run(20); // t = 30 s
        Assert.Equal((1, 3), (pingsA, pingsB));

        b.Dispose();
        Run(30); // t = 60 s
        Assert.Equal((2, 3), (pingsA, pingsB));
        Assert.Equal(1, keepAlive.Connections);
        Assert.Equal(5, keepAlive.PingsAnswered);
    }

    [Fact]
    public void A_ping_that_throws_is_reported_to_its_connection_and_counted()
    {
        using var keepAlive = new SharedKeepAlive(TimeSpan.FromSeconds(1), _time);
        var reported = new List<Exception>();
        using var _ = keepAlive.Register(TimeSpan.FromSeconds(10), _ => Task.FromException(new IOException("link gone")), reported.Add);

        Run(5);

        Assert.IsType<IOException>(Assert.Single(reported));
        Assert.Equal(1, keepAlive.PingsFailed);
    }

    [Fact]
    public async Task A_ping_not_answered_within_half_the_period_is_cancelled_and_reported()
    {
        using var keepAlive = new SharedKeepAlive(TimeSpan.FromSeconds(1), _time);
        var unanswered = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        int pings = 0;
        using var _ = keepAlive.Register(TimeSpan.FromSeconds(10), async ct =>
        {
            pings++;
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, ct); // a PINGRESP that never comes
        }, e => unanswered.TrySetResult(e));

        Run(5); // the ping goes out
        Run(4);
        Assert.False(unanswered.Task.IsCompleted);
        Assert.Equal(1, pings);
        Run(1); // 5 s without an answer

        Assert.IsAssignableFrom<OperationCanceledException>(await unanswered.Task.WaitAsync(Deadline.Default));
        Assert.Equal(1, keepAlive.PingsFailed);
    }

    [Fact]
    public void Nonsense_periods_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedKeepAlive(TimeSpan.Zero, _time));
        using var keepAlive = new SharedKeepAlive(TimeSpan.FromSeconds(1), _time);
        Assert.Throws<ArgumentOutOfRangeException>(() => keepAlive.Register(TimeSpan.Zero, _ => Task.CompletedTask, _ => { }));
    }
}
