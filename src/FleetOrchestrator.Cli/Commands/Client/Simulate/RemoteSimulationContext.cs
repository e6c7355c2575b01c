using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.Simulation.Faults;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>What a run against a server observed, for its report: the devices' faults, starting versions and own
/// truth, the rollout's entry per device, the server's read model (running version per device), and the timings.
/// </summary>
internal sealed record RemoteSimulationContext(
    string Server,
    RemoteSimulationOptions Options,
    IReadOnlyList<string> Ids,
    IReadOnlyDictionary<string, DeviceFaults> Faults,
    Func<string, SemanticVersion> InitialVersionOf,
    IReadOnlyDictionary<string, AgentReport> Truths,
    IReadOnlyDictionary<string, RemoteDeviceEntry> Entries,
    IReadOnlyDictionary<string, string?> Views,
    double UpdateSeconds,
    double OnlineSeconds,
    long MemoryPerDevice,
    long MqttMessages);
