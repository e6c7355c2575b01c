using System.Diagnostics;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>
/// One `dotnet fleet.dll …` process (a node or the simulator): its output is kept line by line so a test can wait
/// for a line with a deadline and show the last lines when something goes wrong. <see cref="KillHard"/> is SIGKILL:
/// the process gets no chance to leave the cluster or flush anything, as when a machine dies.
/// </summary>
public sealed class FleetProcess : IAsyncDisposable
{
    private const int LinesKept = 400;
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly string _name;

    private FleetProcess(string name, Process process)
    {
        _name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data is null ? null : "stderr: " + e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static string FleetDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "fleet.dll");
            if (!File.Exists(dll))
                throw new InvalidOperationException(
                    $"{dll} is missing: the test project copies the CLI next to itself");
            return dll;
        }
    }

    public static FleetProcess Start(string name, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(FleetDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Plain lines, no live display: the output is read by the test, not a terminal.
        start.Environment["NO_COLOR"] = "1";
        start.Environment["TERM"] = "dumb";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: dotnet did not start");
        return new FleetProcess(name, process);
    }

    /// <summary>The last lines the process wrote (stdout and stderr), for assertion messages.</summary>
    public string Tail(int count = 40)
    {
        lock (_lines) return $"--- last lines of {_name} ---\n" + string.Join('\n', _lines.TakeLast(count));
    }

    /// <summary>Waits until the process has printed a line containing <paramref name="text"/>, and returns
    /// it.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            var exited = _process.HasExited;
            // After an exit, the parameterless wait returns once the redirected output has been read to its end.
            if (exited) _process.WaitForExit();
            lock (_lines)
            {
                if (_lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line) return line;
            }
            if (exited)
                throw new InvalidOperationException(
                    $"{_name} exited ({_process.ExitCode}) before printing '{text}'\n{Tail()}");
            if (DateTime.UtcNow > until)
                throw new TimeoutException(
                    $"{_name} did not print '{text}' within {deadline.TotalSeconds:0} s\n{Tail()}");
            await timer.WaitForNextTickAsync();
        }
    }

    public void KillHard()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as Ctrl+C or a container stop, then waits up to <paramref name="deadline"/>.</summary>
    public async Task<bool> StopAsync(TimeSpan deadline)
    {
        if (_process.HasExited) return true;
        var pid = _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using (var kill = Process.Start("kill", ["-TERM", pid]))
            await kill!.WaitForExitAsync();
        using var wait = new CancellationTokenSource(deadline);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!await StopAsync(TimeSpan.FromSeconds(20))) KillHard();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(line);
            // The first lines (a node's banner) stay; the middle goes when the output grows long.
            if (_lines.Count > LinesKept * 2) _lines.RemoveRange(LinesKept / 2, _lines.Count - LinesKept);
        }
    }
}
