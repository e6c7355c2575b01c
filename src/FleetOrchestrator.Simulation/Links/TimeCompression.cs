namespace FleetOrchestrator.Simulation.Links;

/// <summary>
/// Turns simulated durations into real waits: real = simulated / <see cref="Speedup"/>. A speed-up of
/// <see cref="double.PositiveInfinity"/> (the CLI's <c>--no-delays</c>) means no waits at all, so a whole update runs as
/// fast as the machine allows while the simulated clock still says how long it would have taken.
/// </summary>
public sealed class TimeCompression
{
    public TimeCompression(double speedup)
    {
        if (double.IsNaN(speedup) || speedup <= 0)
            throw new ArgumentOutOfRangeException(nameof(speedup), speedup, "the speed-up must be a positive number (or infinity for no delays)");
        Speedup = speedup;
    }

    /// <summary>No waits: every simulated duration passes instantly.</summary>
    public static TimeCompression NoDelays { get; } = new(double.PositiveInfinity);

    /// <summary>Real time: one simulated second is one second.</summary>
    public static TimeCompression RealTime { get; } = new(1);

    public double Speedup { get; }

    public bool HasDelays => !double.IsPositiveInfinity(Speedup);

    /// <summary>The real duration that stands for <paramref name="simulated"/>.</summary>
    public TimeSpan ToReal(TimeSpan simulated) =>
        !HasDelays || simulated <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(simulated.Ticks / Speedup));

    /// <summary>Waits the real equivalent of <paramref name="simulated"/>; completes synchronously when that is zero.</summary>
    public ValueTask WaitAsync(TimeSpan simulated, CancellationToken cancellationToken)
    {
        var real = ToReal(simulated);
        // Below a millisecond the timer cannot wait anyway; skipping keeps 10,000 devices from flooding the timer queue.
        return real < TimeSpan.FromMilliseconds(1) ? ValueTask.CompletedTask : new ValueTask(Task.Delay(real, cancellationToken));
    }
}
