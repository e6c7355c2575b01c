using System.Text.Json;

namespace FleetOrchestrator.Server.Api.Rollouts;

/// <summary>
/// Staged rollouts as the operator API needs them. Implemented by the host over the rollout engine (policy reading,
/// planning, the rollout actors); the endpoints only read HTTP and map answers to status codes.
/// </summary>
public interface IRollouts
{
    /// <summary>
    /// Reads the policy, plans the waves and, unless <paramref name="dryRun"/>, starts the rollout. Policy problems are
    /// named by their JSON path under <c>$.policy</c>; nothing is started when there is any.
    /// </summary>
    Task<RolloutSubmission> SubmitAsync(RolloutOrder order, bool dryRun, CancellationToken cancellationToken);

    /// <summary>Every rollout ever started, newest first, without waking a rollout actor.</summary>
    Task<IReadOnlyList<RolloutSummary>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One rollout; null when no rollout has that id.</summary>
    Task<RolloutDetail?> GetAsync(string rolloutId, CancellationToken cancellationToken);

    /// <summary>A page of a rollout's devices (of one wave, or all); null when no rollout has that id.</summary>
    Task<RolloutDevicePage?> DevicesAsync(string rolloutId, int? wave, int offset, int limit,
        CancellationToken cancellationToken);

    /// <summary>Why a device is where it is in the rollout; null when no rollout has that id.</summary>
    Task<RolloutDeviceWhy?> WhyAsync(string rolloutId, string deviceId, CancellationToken cancellationToken);

    /// <summary>An operator action, recorded with who and why; <see cref="RolloutActionResult.Found"/> false when no
    /// rollout has that id.</summary>
    Task<RolloutActionResult> ActAsync(string rolloutId, RolloutActionKind action, string who, string why, int? wave,
        CancellationToken cancellationToken);

    /// <summary>Every problem of a policy document, named by its JSON path under <c>$.policy</c> (empty: none), so a
    /// request with other bad fields lists these too.</summary>
    IReadOnlyList<RolloutPolicyProblem> DescribePolicyProblems(JsonElement policy);

    /// <summary>Null when <paramref name="rolloutId"/> is usable as a rollout id, otherwise why not.</summary>
    string? DescribeRolloutIdProblem(string rolloutId);
}
