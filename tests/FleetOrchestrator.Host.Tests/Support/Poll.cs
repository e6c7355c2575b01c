namespace FleetOrchestrator.Host.Tests.Support;

/// <summary>Asks again on a timer until the answer is right or the deadline passes; never sleeps blindly.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> ask, Func<T, bool> done, TimeSpan deadline, string what)
    {
        using var timeout = new CancellationTokenSource(deadline);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        T last = await ask();
        while (!done(last))
        {
            try
            {
                await timer.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what} did not happen within {deadline.TotalSeconds:0} s; last answer: {last}");
            }
            last = await ask();
        }
        return last;
    }
}
