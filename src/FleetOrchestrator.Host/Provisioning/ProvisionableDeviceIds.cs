using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// Which ids may be given device credentials: valid wire device ids (PROTOCOL.md §4.2) that are not an identity the
/// orchestrator itself uses. The broker's credential store refuses a device named like the service identity, so such
/// an entry in the credential file would stop <c>fleet serve</c> from starting. The one rule for the operator API and
/// the offline <c>fleet devices add</c>, checked before anything is written.
/// </summary>
public static class ProvisionableDeviceIds
{
    /// <summary>The orchestrator's own MQTT user name (<see cref="EmbeddedBrokerOptions.ServiceUserName"/>).</summary>
    public static IReadOnlySet<string> Reserved { get; } =
        new HashSet<string>(StringComparer.Ordinal) { new EmbeddedBrokerOptions().ServiceUserName };

    /// <summary>Null when <paramref name="deviceId"/> may be provisioned, otherwise why not.</summary>
    public static string? DescribeProblem(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (WireIdentifiers.DescribeDeviceIdProblem(deviceId) is { } problem) return problem;
        return Reserved.Contains(deviceId)
            ? $"device id '{deviceId}' is reserved: it is the orchestrator's own MQTT identity"
            : null;
    }
}
