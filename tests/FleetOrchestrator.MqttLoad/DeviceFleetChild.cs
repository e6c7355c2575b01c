using System.Diagnostics;

namespace FleetOrchestrator.MqttLoad;

/// <summary>The broker side's handle on the device process: one request line in, one answer line out.</summary>
internal sealed class DeviceFleetChild : IDeviceFleetDriver
{
    private readonly Process _process;

    private DeviceFleetChild(Process process) => _process = process;

    public static DeviceFleetChild Start(int port, int count, int concurrency)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the dotnet host");
        var dll = typeof(DeviceFleetChild).Assembly.Location;
        var info = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Under `dotnet X.dll` the process path is the dotnet host; under an apphost it is the program itself.
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") info.ArgumentList.Add(dll);
        foreach (var a in new[] { "devices", port.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture), concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(a);
        return new DeviceFleetChild(Process.Start(info) ?? throw new InvalidOperationException("could not start the device process"));
    }

    public async Task<(TimeSpan Elapsed, string Memory)> ConnectAllAsync()
    {
        var ready = await ReadLineAsync("ready");
        var space = ready.IndexOf(' ', StringComparison.Ordinal);
        var ms = double.Parse(ready[..space], System.Globalization.CultureInfo.InvariantCulture);
        return (TimeSpan.FromMilliseconds(ms), ready[(space + 1)..]);
    }

    public async Task<Task> ExpectAsync(int count)
    {
        await SendAsync($"expect {count}");
        await ReadLineAsync("armed");
        return ReadLineAsync("delivered");
    }

    public async Task PublishOneEventEachAsync()
    {
        await SendAsync("publish");
        await ReadLineAsync("published");
    }

    private async Task<string> ReadLineAsync(string expectedPrefix)
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(5))
            ?? throw new InvalidOperationException($"device process ended while waiting for '{expectedPrefix}'");
        if (!line.StartsWith(expectedPrefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"device process said '{line}', expected '{expectedPrefix} ...'");
        return line[expectedPrefix.Length..].Trim();
    }

    private async Task SendAsync(string request)
    {
        await _process.StandardInput.WriteLineAsync(request);
        await _process.StandardInput.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SendAsync("quit");
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        _process.Dispose();
    }
}
