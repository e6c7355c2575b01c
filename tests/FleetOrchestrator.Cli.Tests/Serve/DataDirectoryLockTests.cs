using System.Diagnostics;
using FleetOrchestrator.Cli.Tests.Firmware;
using FleetOrchestrator.Host.Provisioning;

namespace FleetOrchestrator.Cli.Tests.Serve;

/// <summary>
/// One data directory, one process: a second `fleet serve` (a real second process, as an operator would start it) and
/// an offline `fleet devices add` are refused while the first server runs, naming the directory and the holder's pid.
/// </summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-lock-test-").FullName;

    [Fact]
    public async Task A_second_serve_on_the_same_data_directory_exits_2_naming_the_directory_and_the_first_pid()
    {
        using var first = StartFleet("serve", "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--data-dir", _dir);
        // Drained all along: a full stderr pipe would block the server.
        var firstErr = first.StandardError.ReadToEndAsync();
        try
        {
            await WaitForLineAsync(first, "Press Ctrl+C", firstErr);

            using var second = StartFleet("serve", "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--data-dir",
                _dir);
            var secondErr = second.StandardError.ReadToEndAsync();
            var secondOut = second.StandardOutput.ReadToEndAsync();
            using var wait = new CancellationTokenSource(Deadline);
            await second.WaitForExitAsync(wait.Token);
            var err = await secondErr;

            Assert.Equal(2, second.ExitCode);
            Assert.Contains(_dir, err);
            Assert.Contains($"pid {first.Id}", err);
            Assert.DoesNotContain("is running", await secondOut);

            var offline = await CliRun.Of("devices", "add", "dev-while-serving", "--data-dir", _dir);
            Assert.Equal(2, offline.ExitCode);
            Assert.Contains($"pid {first.Id}", offline.Err);
            Assert.False(first.HasExited, "the first server must keep running");
        }
        finally
        {
            if (!first.HasExited) first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        // The OS released the lock with the process: the directory is usable again.
        var after = await CliRun.Of("devices", "add", "dev-after", "--data-dir", _dir);
        Assert.True(after.ExitCode == 0, after.Err);
    }

    [Fact]
    public void Two_lock_attempts_in_one_process_conflict_until_the_first_is_released()
    {
        using (DataDirectoryLock.Acquire(_dir, "first"))
        {
            var refused = Assert.Throws<DataDirectoryLockedException>(() => DataDirectoryLock.Acquire(_dir, "second"));
            Assert.Equal($"first (pid {Environment.ProcessId})", refused.Holder);
            Assert.Contains(_dir, refused.Message);
        }
        using var again = DataDirectoryLock.Acquire(_dir, "third");
        Assert.Equal(_dir, again.Directory);
    }

    private static Process StartFleet(params string[] args)
    {
        var fleetDll = Path.Combine(AppContext.BaseDirectory, "fleet.dll");
        Assert.True(File.Exists(fleetDll), $"{fleetDll} is missing: the test project copies the CLI next to itself");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(fleetDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static async Task WaitForLineAsync(Process process, string text, Task<string> stderr)
    {
        using var wait = new CancellationTokenSource(Deadline);
        while (await process.StandardOutput.ReadLineAsync(wait.Token) is { } line)
        {
            if (line.Contains(text, StringComparison.Ordinal)) return;
        }
        var err = await stderr.WaitAsync(wait.Token);
        Assert.Fail($"fleet serve ended before printing '{text}': {err}");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
