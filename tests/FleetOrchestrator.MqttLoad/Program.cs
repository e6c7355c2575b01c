using System.Diagnostics;
using System.Globalization;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.MqttLoad;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;
using Microsoft.Extensions.Logging.Abstractions;

// Measures the embedded broker with N connected devices (devices in a child process over loopback TCP, or with
// --link inprocess in this process over the in-process link): commands/s on the direct-enqueue path vs broker routing,
// and device events/s into the traffic handler.
// Usage: dotnet run -c Release --project tests/FleetOrchestrator.MqttLoad -- --clients 10000 --fanout false [--link inprocess]
if (args.Length > 0 && args[0] == "devices")
{
    return await DeviceFleetProcess.RunAsync(
        int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
}

var settings = LoadSettings.Parse(args);
Console.WriteLine($"machine: {Environment.ProcessorCount} CPUs, {Machine.CpuModel()}, {Machine.MemoryGb():F0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"clients: {settings.Clients}, link: {(settings.InProcess ? "in-process (devices in this process; CPU and memory cover both sides)" : "TCP (devices in a child process)")}, fan-out of device traffic: {settings.FanOut}, load average at start: {Machine.LoadAverage()}");

var credentials = new HashedCredentialStore("fleet-orchestrator", DeviceSecrets.Generate());
for (int i = 0; i < settings.Clients; i++)
{
    var id = LoadSettings.DeviceId(i);
    credentials.AddDevice(id, DeviceSecrets.Derive(LoadSettings.FleetKey, id));
}
var traffic = new CountingTrafficHandler();
var options = new EmbeddedBrokerOptions { Port = 0, FanOutDeviceTraffic = settings.FanOut, ConnectionBacklog = 4096 };
// The in-process link as `fleet simulate` adds it: one more listener the broker serves beside TCP.
var inProcess = new InProcessMqttListener();
await using var broker = new EmbeddedMqttBroker(options, credentials, traffic, extraListeners: [inProcess]);
await broker.StartAsync();
var brokerBefore = ProcessMemory.Measure();

await using IDeviceFleetDriver devices = settings.InProcess
    ? new InProcessFleetDriver(new InProcessMqttConnector(inProcess), settings.Clients, settings.ConnectConcurrency)
    : DeviceFleetChild.Start(broker.Port, settings.Clients, settings.ConnectConcurrency);
var (connectTime, deviceMemory) = await devices.ConnectAllAsync();
Console.WriteLine($"connect: {settings.Clients} devices in {connectTime.TotalSeconds:F1} s ({settings.Clients / connectTime.TotalSeconds:F0}/s)");
Console.WriteLine($"device side: {deviceMemory}");
// In-process the device side's figure already covers the broker: measured over the same process.
if (!settings.InProcess) Console.WriteLine($"broker process: {ProcessMemory.PerConnection(brokerBefore, ProcessMemory.Measure(), settings.Clients)}");
Console.WriteLine($"open file descriptors: {Machine.OpenFileDescriptors()}");

var paths = new (string Name, FleetOrchestrator.Protocol.Ports.IDeviceCommandSender Sender)[]
{
    ("direct enqueue", broker.CommandSender),
    ("broker routing", new EmbeddedCommandSender(broker.Server, options with { CommandDelivery = CommandDeliveryPath.BrokerRouting }, NullLogger.Instance)),
};
Console.WriteLine();
Console.WriteLine($"| clients | what | messages | hand-over | end-to-end | {(settings.InProcess ? "CPU per message (broker + devices)" : "broker CPU per message")} |");
Console.WriteLine("|---:|---|---:|---:|---:|---:|");
int round = 0;
foreach (var (name, sender) in paths)
{
    round++;
    var delivered = await devices.ExpectAsync(settings.Clients);
    var cpu = Machine.CpuTime();
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < settings.Clients; i++)
        await sender.SendAsync(LoadSettings.DeviceId(i), new GetState($"r{round}-{i}"));
    var handedOver = clock.Elapsed;
    await delivered;
    var endToEnd = clock.Elapsed;
    var cpuPerMessage = (Machine.CpuTime() - cpu).TotalMicroseconds / settings.Clients;
    Console.WriteLine($"| {settings.Clients} | commands, {name} | {settings.Clients} | {Rate(settings.Clients, handedOver)} | {Rate(settings.Clients, endToEnd)} | {cpuPerMessage:F0} µs |");
}

{
    var reached = traffic.Arm(settings.Clients);
    var cpu = Machine.CpuTime();
    var clock = Stopwatch.StartNew();
    await devices.PublishOneEventEachAsync();
    var published = clock.Elapsed;
    await reached.WaitAsync(TimeSpan.FromMinutes(5));
    var endToEnd = clock.Elapsed;
    var cpuPerMessage = (Machine.CpuTime() - cpu).TotalMicroseconds / settings.Clients;
    var label = settings.FanOut ? "events, routed by the broker (fan-out on)" : "events, consumed in the interceptor (fan-out off)";
    Console.WriteLine($"| {settings.Clients} | {label} | {settings.Clients} | {Rate(settings.Clients, published)} | {Rate(settings.Clients, endToEnd)} | {cpuPerMessage:F0} µs |");
}
Console.WriteLine($"load average at end: {Machine.LoadAverage()}");
if (traffic.Rejected > 0) Console.WriteLine($"WARNING: {traffic.Rejected} messages were rejected");
return traffic.Rejected > 0 ? 1 : 0;

static string Rate(int count, TimeSpan elapsed) => $"{count / elapsed.TotalSeconds:F0}/s";
