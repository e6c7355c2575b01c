namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>Runs a `fleet` command again on a timer until its answer is right or the deadline passes; never sleeps
/// blindly.</summary>
internal static class ClientPoll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static async Task<ClientRun> UntilAsync(Func<Task<ClientRun>> ask, Func<ClientRun, bool> done, string what)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        var last = await ask();
        while (!done(last))
        {
            try
            {
                await timer.WaitForNextTickAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what} did not happen within {Deadline.TotalSeconds:0} s; last: {last}");
            }
            last = await ask();
        }
        return last;
    }
}
