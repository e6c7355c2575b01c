using System.Text.Json.Nodes;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Simulation.Attached;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Populations;
using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>
/// `fleet simulate --server URL`: the simulated devices (ids, faults, population, link, time), the update (a staged
/// rollout policy as JSON, or one wave over every device), and where progress and the report go.
/// </summary>
internal sealed record RemoteSimulationOptions
{
    public required DeviceIdRange Ids { get; init; }
    public long Seed { get; init; } = 1;
    public FaultPlan Faults { get; init; } = FaultPlan.None;
    public Population? Population { get; init; }
    public LinkProfile Link { get; init; } = LinkProfile.Instant;
    public double Speedup { get; init; } = double.PositiveInfinity;
    public int MaxInFlight { get; init; } = 1000;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>The policy file's JSON (config/rollouts/); null: one wave over every device.</summary>
    public JsonObject? Policy { get; init; }
    public bool DryRun { get; init; }
    public bool KeepWindow { get; init; }
    public required ManifestVerificationKey PublicKey { get; init; }
    /// <summary>How the devices check the server's TLS (MQTT when registrations say mqttTls, https
    /// downloads).</summary>
    public FleetOrchestrator.Mqtt.Security.ServerTrust? Tls { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TextWriter? Progress { get; init; }
    public IProgress<SimulationProgress>? Live { get; init; }
}
