using System.Diagnostics;
using FleetOrchestrator.Mqtt.Device;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.MqttLoad;

/// <summary>
/// The device side, in its own process so its CPU is not counted as the broker's: connects N
/// <see cref="DeviceMqttConnection"/>s, then obeys one-line requests on stdin and answers on stdout:
/// <c>expect K</c> → <c>delivered K MS</c> once K commands arrived; <c>publish</c> → every device publishes one event,
/// answer <c>published MS</c>; <c>quit</c>.
/// </summary>
internal static class DeviceFleetProcess
{
    private static long s_received;
    private static long s_target = long.MaxValue;
    private static TaskCompletionSource s_reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<int> RunAsync(int port, int count, int concurrency)
    {
        var before = ProcessMemory.Measure();
        var devices = Enumerable.Range(0, count).Select(i =>
        {
            var id = LoadSettings.DeviceId(i);
            return new DeviceMqttConnection(new DeviceConnectionOptions("127.0.0.1", port, id, DeviceSecrets.Derive(LoadSettings.FleetKey, id)), OnCommand);
        }).ToArray();

        var clock = Stopwatch.StartNew();
        await ForEachAsync(devices, concurrency, async d =>
        {
            var outcome = await d.ConnectAsync();
            if (!outcome.IsConnected) throw new InvalidOperationException($"{d.DeviceId}: {outcome.ResultCode} {outcome.Reason}");
        });
        var connected = clock.Elapsed;
        var after = ProcessMemory.Measure();
        Console.WriteLine($"ready {connected.TotalMilliseconds:F0} {ProcessMemory.PerConnection(before, after, count)}");

        long sequence = 0;
        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "expect":
                    var watch = Stopwatch.StartNew();
                    Interlocked.Exchange(ref s_received, 0);
                    s_reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    Volatile.Write(ref s_target, long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                    Console.WriteLine("armed");
                    await s_reached.Task;
                    Console.WriteLine($"delivered {s_target} {watch.Elapsed.TotalMilliseconds:F0}");
                    break;
                case "publish":
                    sequence++;
                    var publishClock = Stopwatch.StartNew();
                    long seq = sequence;
                    await ForEachAsync(devices, concurrency, d => d.PublishEventAsync(new HealthReported(null, seq, true, null)));
                    Console.WriteLine($"published {publishClock.Elapsed.TotalMilliseconds:F0}");
                    break;
                case "quit":
                    foreach (var d in devices) await d.DisposeAsync();
                    return 0;
            }
        }
        return 0;
    }

    private static Task OnCommand(DeviceCommand command)
    {
        if (Interlocked.Increment(ref s_received) == Volatile.Read(ref s_target)) s_reached.TrySetResult();
        return Task.CompletedTask;
    }

    private static async Task ForEachAsync<T>(IReadOnlyList<T> items, int concurrency, Func<T, Task> action)
    {
        using var gate = new SemaphoreSlim(concurrency);
        var tasks = items.Select(async item =>
        {
            await gate.WaitAsync();
            try { await action(item); }
            finally { gate.Release(); }
        });
        await Task.WhenAll(tasks);
    }
}
