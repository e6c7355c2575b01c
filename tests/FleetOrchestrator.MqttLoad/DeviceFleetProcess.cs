using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.MqttLoad;

/// <summary>
/// The device side, in its own process so its CPU is not counted as the broker's: connects a <see cref="DeviceFleet"/>
/// over TCP, then obeys one-line requests on stdin and answers on stdout: <c>expect K</c> → <c>armed</c>, then
/// <c>delivered K MS</c> once K commands arrived; <c>publish</c> → every device publishes one event, answer
/// <c>published MS</c>; <c>quit</c>.
/// </summary>
internal static class DeviceFleetProcess
{
    public static async Task<int> RunAsync(int port, int count, int concurrency)
    {
        var before = ProcessMemory.Measure();
        await using var fleet = new DeviceFleet(count, concurrency, (id, secret) => new DeviceConnectionOptions("127.0.0.1", port, id, secret));
        var connected = await fleet.ConnectAllAsync();
        Console.WriteLine($"ready {connected.TotalMilliseconds:F0} {ProcessMemory.PerConnection(before, ProcessMemory.Measure(), count)}");

        while (Console.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            switch (parts[0])
            {
                case "expect":
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    var reached = fleet.Expect(long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
                    Console.WriteLine("armed");
                    await reached;
                    Console.WriteLine($"delivered {parts[1]} {watch.Elapsed.TotalMilliseconds:F0}");
                    break;
                case "publish":
                    var publishClock = System.Diagnostics.Stopwatch.StartNew();
                    await fleet.PublishOneEventEachAsync();
                    Console.WriteLine($"published {publishClock.Elapsed.TotalMilliseconds:F0}");
                    break;
                case "quit":
                    return 0;
            }
        }
        return 0;
    }
}
