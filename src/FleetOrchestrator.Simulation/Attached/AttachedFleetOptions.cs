using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Populations;

namespace FleetOrchestrator.Simulation.Attached;

/// <summary>
/// A simulated fleet attached to a running server (`fleet devices simulate`): how many devices, their ids, faults,
/// population (starting versions, silicon, ROM, tags), link profile and time compression, and the manifest key the
/// server signs with (its banner's public key file).
/// </summary>
public sealed record AttachedFleetOptions
{
    /// <summary>The devices' ids: PREFIX0001, PREFIX0002, … by default.</summary>
    public DeviceIdRange Ids { get; init; } = new("sim-", 1, 10);
    public long Seed { get; init; } = 1;
    public FaultPlan Faults { get; init; } = FaultPlan.None;
    /// <summary>The release the crash-loop units crash on (a fault that shows only once they get it).</summary>
    public SemanticVersion? CrashOnVersion { get; init; }
    public Population? Population { get; init; }
    public LinkProfile Link { get; init; } = LinkProfile.Instant;
    public double Speedup { get; init; } = double.PositiveInfinity;
    public required ManifestVerificationKey PublicKey { get; init; }
    /// <summary>
    /// How devices check the server over TLS: MQTT when the registration says <c>mqttTls</c>, and https download
    /// URLs. Null: the system trust store.
    /// </summary>
    public FleetOrchestrator.Mqtt.Security.ServerTrust? Tls { get; init; }
}
