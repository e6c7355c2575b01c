using System.Diagnostics.CodeAnalysis;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Protocol.Topics;

/// <summary>
/// The v1 topic scheme. Every device owns exactly the subtree <c>fleet/v1/devices/{deviceId}/#</c>;
/// the broker ACL grants it nothing else. Device ids follow <see cref="WireIdentifiers.IsValidDeviceId"/>; the builders
/// throw <see cref="ArgumentException"/> for any other id, because such a topic could escape the device's subtree.
/// </summary>
public static class DeviceTopics
{
    public const string Root = "fleet/v1/devices";

    public const string StatusLeaf = "status";
    public const string StateLeaf = "state";
    public const string EventsLeaf = "evt";
    public const string CommandsLeaf = "cmd";

    /// <summary>Device → orchestrator, retained. Online/offline presence; the device's last will writes offline here.</summary>
    public static string Status(string deviceId) => Build(deviceId, StatusLeaf);
    /// <summary>Device → orchestrator, retained. The device's full state report.</summary>
    public static string State(string deviceId) => Build(deviceId, StateLeaf);
    /// <summary>Device → orchestrator. Answers to commands and unsolicited events (booted, rolled back).</summary>
    public static string Events(string deviceId) => Build(deviceId, EventsLeaf);
    /// <summary>Orchestrator → device. Commands, each with an id.</summary>
    public static string Commands(string deviceId) => Build(deviceId, CommandsLeaf);

    /// <summary>The topic of <paramref name="kind"/> for <paramref name="deviceId"/>.</summary>
    public static string For(string deviceId, DeviceTopicKind kind) => Build(deviceId, LeafOf(kind));

    /// <summary>Filter for everything a device may touch.</summary>
    public static string DeviceSubtree(string deviceId) => Build(deviceId, "#");

    public const string AllStatus = Root + "/+/status";
    public const string AllState = Root + "/+/state";
    public const string AllEvents = Root + "/+/evt";

    public static string LeafOf(DeviceTopicKind kind) => kind switch
    {
        DeviceTopicKind.Status => StatusLeaf,
        DeviceTopicKind.State => StateLeaf,
        DeviceTopicKind.Events => EventsLeaf,
        DeviceTopicKind.Commands => CommandsLeaf,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a device topic kind"),
    };

    /// <summary>Recognizes a v1 per-device topic name (as received on a PUBLISH, so no wildcards).</summary>
    public static bool TryParse(string? topic, [NotNullWhen(true)] out string? deviceId, out DeviceTopicKind kind) =>
        TryParse(topic, out deviceId, out kind, out _);

    /// <summary>
    /// Recognizes a v1 per-device topic name; otherwise <paramref name="error"/> says why not (wrong root, wrong
    /// version, unknown leaf, bad device id, wildcard, extra levels).
    /// </summary>
    public static bool TryParse(string? topic, [NotNullWhen(true)] out string? deviceId, out DeviceTopicKind kind, [NotNullWhen(false)] out string? error)
    {
        deviceId = null;
        kind = default;
        error = Parse(topic, out var id, out kind);
        if (error is not null) return false;
        deviceId = id!;
        return true;
    }

    private static string? Parse(string? topic, out string? deviceId, out DeviceTopicKind kind)
    {
        deviceId = null;
        kind = default;
        if (string.IsNullOrEmpty(topic)) return "topic is empty";
        if (topic.AsSpan().IndexOfAny('+', '#') is var w and >= 0)
            return $"topic contains the wildcard '{topic[w]}' at position {w}: a topic name must not";
        var levels = topic.Split('/');
        // fleet / v1 / devices / {id} / {leaf}
        if (levels[0] != "fleet") return $"topic does not start with 'fleet/' (root of the v1 scheme is '{Root}/')";
        if (levels.Length < 2 || levels[1] != "v1")
            return levels.Length < 2 ? "topic ends after 'fleet'" : $"topic version level is '{MessageRules.Truncate(levels[1])}', this end speaks 'v1'";
        if (levels.Length < 3 || levels[2] != "devices")
            return levels.Length < 3 ? "topic ends after 'fleet/v1'" : $"topic has '{MessageRules.Truncate(levels[2])}' where 'devices' was expected";
        if (levels.Length < 5) return "topic has no device id and leaf (expected fleet/v1/devices/{deviceId}/{status|state|evt|cmd})";
        if (levels.Length > 5) return $"topic has {levels.Length - 5} level(s) after the leaf; v1 topics end at the leaf";
        if (WireIdentifiers.DescribeDeviceIdProblem(levels[3]) is { } idProblem) return idProblem;
        switch (levels[4])
        {
            case StatusLeaf: kind = DeviceTopicKind.Status; break;
            case StateLeaf: kind = DeviceTopicKind.State; break;
            case EventsLeaf: kind = DeviceTopicKind.Events; break;
            case CommandsLeaf: kind = DeviceTopicKind.Commands; break;
            default: return $"unknown leaf '{MessageRules.Truncate(levels[4])}' (expected status, state, evt or cmd)";
        }
        deviceId = levels[3];
        return null;
    }


    private static string Build(string deviceId, string leaf)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (WireIdentifiers.DescribeDeviceIdProblem(deviceId) is { } problem)
            throw new ArgumentException($"'{MessageRules.Truncate(deviceId)}' is not a valid device id: {problem}", nameof(deviceId));
        return string.Concat(Root, "/", deviceId, "/", leaf);
    }
}
