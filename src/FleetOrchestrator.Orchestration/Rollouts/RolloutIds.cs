using System.Security.Cryptography;
using System.Text;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Orchestration.Rollouts;

/// <summary>
/// Rollout ids and the deterministic update ids of a rollout's sagas. A device's update id is a function of the
/// rollout and the device, so StartUpdate re-sent after a restart of the rollout is the same request (idempotent per
/// update id) and never starts a second saga. Update ids must keep every command id built from them within the wire
/// limits (<see cref="CommandIds.DescribeUpdateIdProblem"/>: at most 51 characters); a device id too long for
/// "{rollout}-{device}" is replaced by a hash of it.
/// </summary>
public static class RolloutIds
{
    public const int MaxRolloutIdLength = 24;
    private const int MaxUpdateIdLength = 51;

    /// <summary>Null when <paramref name="rolloutId"/> is usable: 1-24 characters of <c>[A-Za-z0-9_-]</c>.</summary>
    public static string? DescribeRolloutIdProblem(string? rolloutId)
    {
        if (string.IsNullOrEmpty(rolloutId)) return "rollout id is empty";
        if (rolloutId.Length > MaxRolloutIdLength)
            return $"rollout id is {rolloutId.Length} characters long (at most {MaxRolloutIdLength})";
        return WireIdentifiers.DescribeDeviceIdProblem(rolloutId) is null
            ? null
            : "rollout id may contain only A-Z a-z 0-9 _ -";
    }

    /// <summary>The update id of <paramref name="deviceId"/>'s saga in this rollout.</summary>
    public static string UpdateIdFor(string rolloutId, string deviceId) => Compose(rolloutId + "-", deviceId);

    /// <summary>The update id of the saga that returns <paramref name="deviceId"/> to its previous image.</summary>
    public static string RollbackIdFor(string rolloutId, string deviceId) => Compose(rolloutId + "-rb-", deviceId);

    private static string Compose(string prefix, string deviceId)
    {
        var plain = prefix + deviceId;
        if (plain.Length <= MaxUpdateIdLength) return plain;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(deviceId));
        return prefix + "h" + Convert.ToHexStringLower(hash)[..16];
    }
}
