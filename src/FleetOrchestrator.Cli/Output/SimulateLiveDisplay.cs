using System.Globalization;
using System.Text;
using FleetOrchestrator.Simulation.Runs;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace FleetOrchestrator.Cli.Output;

/// <summary>
/// `fleet simulate` on a terminal: one Spectre.Console live display on stderr with the run's recent lines (start,
/// wave transitions), each rollout wave with a bar, gate state and counts, and the totals (outcomes, in flight,
/// devices/s, memory), in place of the periodic progress line. Without a terminal the runner prints plain lines.
/// </summary>
internal sealed class SimulateLiveDisplay : TextWriter, IProgress<SimulationProgress>
{
    private const int RecentLines = 10;
    private readonly Lock _gate = new();
    private readonly Queue<string> _lines = new();
    private readonly StringBuilder _partial = new();
    private readonly IAnsiConsole _console;
    private readonly CancellationTokenSource _stop = new();
    private SimulationProgress? _last;
    private Task? _running;

    public SimulateLiveDisplay(IAnsiConsole console) => _console = console;

    public override Encoding Encoding => Encoding.UTF8;

    public void Start() => _running = _console.Live(Render()).AutoClear(false).StartAsync(async context =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) context.UpdateTarget(Render());
        }
        catch (OperationCanceledException)
        {
            // Stopped: the final render below stays on screen.
        }
        context.UpdateTarget(Render());
    });

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_running is not null) await _running.ConfigureAwait(false);
    }

    public void Report(SimulationProgress value)
    {
        lock (_gate) _last = value;
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                _lines.Enqueue(_partial.ToString().TrimEnd('\r'));
                _partial.Clear();
                while (_lines.Count > RecentLines) _lines.Dequeue();
            }
            else
            {
                _partial.Append(value);
            }
        }
    }

    internal IRenderable Render()
    {
        List<string> lines;
        SimulationProgress? progress;
        lock (_gate)
        {
            lines = [.. _lines];
            progress = _last;
        }
        var items = new List<IRenderable> { new Text(string.Join(Environment.NewLine, lines)) };
        if (progress is null) return new Rows(items);
        if (progress.Waves.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"rollout {progress.RolloutStatus}");
            foreach (var header in new[] { "wave", "phase", "progress", "done", "outcomes",
                "gate" }) table.AddColumn(header);
            foreach (var wave in progress.Waves)
            {
                table.AddRow(new Text(wave.Name), new Text(wave.Phase), new Text(RolloutView.Bar(wave.Finished,
                    wave.Devices, 10)),
                    new Text($"{wave.Finished}/{wave.Devices}"),
                    new Text(string.Join(", ", wave.Outcomes.Select(o => $"{o.Key} {o.Value}"))),
                        new Text(wave.GateState));
            }
            items.Add(table);
        }
        var outcomes = string.Join(", ", progress.Outcomes.OrderBy(o => o.Key,
            StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}"));
        items.Add(new Text(string.Create(CultureInfo.InvariantCulture,
            $"[{progress.Seconds,6:0.0}s] [{RolloutView.Bar(progress.Done, progress.Devices, 20)}] " +
            $"{progress.Done}/{progress.Devices} done ({outcomes}) | in flight {progress.InFlight} | " +
            $"{progress.DevicesPerSecond:0} dev/s | {progress.WorkingSetMegabytes} MB")));
        return new Rows(items);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _stop.Dispose();
        base.Dispose(disposing);
    }
}
