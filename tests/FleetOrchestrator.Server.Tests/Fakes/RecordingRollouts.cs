using System.Collections.Concurrent;
using System.Text.Json;
using FleetOrchestrator.Server.Api.Rollouts;

namespace FleetOrchestrator.Server.Tests.Fakes;

/// <summary>
/// Rollouts without an engine: keeps every order and action it receives, knows the rollouts it started (or that a test
/// put in <see cref="Known"/>), answers policy problems and refusals a test sets.
/// </summary>
internal sealed class RecordingRollouts : IRollouts
{
    public ConcurrentQueue<(RolloutOrder Order, bool DryRun)> Orders { get; } = new();
    public ConcurrentQueue<(string RolloutId, RolloutActionKind Action, string Who, string Why, int? Wave)> Actions
    { get; } = new();
    public ConcurrentDictionary<string, string> Known { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<(string RolloutId, int? Wave, int Offset, int Limit)> DeviceQueries { get; } = new();
    public ConcurrentQueue<string> DetailQueries { get; } = new();

    /// <summary>Problems the "engine" finds in every policy (paths as the port names them).</summary>
    public List<RolloutPolicyProblem> PolicyProblems { get; } = [];

    /// <summary>When set, every start is refused with this reason; every action too.</summary>
    public string? Refusal { get; set; }

    public static RolloutPlanView Plan { get; } = new(7, 3,
        [new RolloutPlanWave("canary", ["dev-1"]), new RolloutPlanWave("rest", ["dev-2", "dev-3"])],
        [new RolloutPlanExclusion("dev-9", "up-to-date", "already runs 2.1.0")], TimeSpan.FromMinutes(42));

    public string? DescribeRolloutIdProblem(string rolloutId) =>
        rolloutId.Length is 0 or > 24 || rolloutId.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            ? "rollout id may contain only A-Z a-z 0-9 _ - (1-24 characters)"
            : null;

    public IReadOnlyList<RolloutPolicyProblem> DescribePolicyProblems(JsonElement policy) => [.. PolicyProblems];

    public Task<RolloutSubmission> SubmitAsync(RolloutOrder order, bool dryRun, CancellationToken cancellationToken)
    {
        Orders.Enqueue((order, dryRun));
        var id = order.RolloutId ?? "r-generated";
        if (PolicyProblems.Count > 0) return Task.FromResult(RolloutSubmission.Invalid([.. PolicyProblems]));
        if (dryRun) return Task.FromResult(RolloutSubmission.Planned(id, Plan));
        if (Refusal is { } reason) return Task.FromResult(RolloutSubmission.Refuse(id, reason, Plan));
        Known[id] = "Running";
        return Task.FromResult(RolloutSubmission.Started(id, "Running", Plan));
    }

    public Task<IReadOnlyList<RolloutSummary>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RolloutSummary>>([.. Known.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
            new RolloutSummary(k.Key, "name of " + k.Key, k.Value, 3, 1,
                new Dictionary<string, int> { ["Updated"] = 1 }, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch))]);

    public Task<RolloutDetail?> GetAsync(string rolloutId, CancellationToken cancellationToken)
    {
        DetailQueries.Enqueue(rolloutId);
        return Task.FromResult(Known.TryGetValue(rolloutId, out var status)
            ? new RolloutDetail(rolloutId, "name of " + rolloutId, status, null, 0,
                [new RolloutWaveDetail("canary", "Running", 1, new Dictionary<string, int> { ["Running"] = 1 },
                    "waiting for sample (0 of 1)", null, null)], 1, DateTimeOffset.UnixEpoch, null, [])
            : null);
    }

    public Task<RolloutDevicePage?> DevicesAsync(string rolloutId, int? wave, int offset, int limit,
        CancellationToken cancellationToken)
    {
        DeviceQueries.Enqueue((rolloutId, wave, offset, limit));
        return Task.FromResult(Known.ContainsKey(rolloutId)
            ? new RolloutDevicePage(rolloutId, 1, offset, limit,
                [new RolloutDeviceEntry("dev-1", 0, rolloutId + "-dev-1", "Commanded", null, null, null, false, null)])
            : null);
    }

    public Task<RolloutDeviceWhy?> WhyAsync(string rolloutId, string deviceId, CancellationToken cancellationToken) =>
        Task.FromResult(Known.ContainsKey(rolloutId)
            ? new RolloutDeviceWhy(rolloutId, deviceId, 0, "canary", "Commanded", null, "device",
                "waits for the device to finish its update")
            : null);

    public Task<RolloutActionResult> ActAsync(string rolloutId, RolloutActionKind action, string who, string why,
        int? wave, CancellationToken cancellationToken)
    {
        if (!Known.TryGetValue(rolloutId, out var status)) return Task.FromResult(RolloutActionResult.NotFound);
        Actions.Enqueue((rolloutId, action, who, why, wave));
        return Task.FromResult(Refusal is { } reason
            ? new RolloutActionResult(true, false, reason, status)
            : new RolloutActionResult(true, true, null, status));
    }
}
