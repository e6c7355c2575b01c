using FleetOrchestrator.Protocol.Topics;

namespace FleetOrchestrator.Mqtt.External;

/// <summary>
/// The filters an orchestrator node consumes device traffic through. <c>$share/{group}/…</c> makes the broker hand each
/// message to one member of the group, so adding a node adds capacity instead of duplicating work.
/// </summary>
public static class SharedSubscriptionFilters
{
    public static IReadOnlyList<string> For(string group)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        if (group.AsSpan().IndexOfAny("/+#") >= 0)
            throw new ArgumentException($"shared subscription group '{group}' may not contain '/', '+' or '#'", nameof(group));
        return [Shared(group, DeviceTopics.AllEvents), Shared(group, DeviceTopics.AllState), Shared(group, DeviceTopics.AllStatus)];
    }

    private static string Shared(string group, string filter) => $"$share/{group}/{filter}";
}
