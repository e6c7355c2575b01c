using System.Text.Json;
using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Messages;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Api.Rollouts;
using FleetOrchestrator.Server.Artifacts;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// The operator API's rollouts over the engine: the policy read by <see cref="RolloutPolicyReader"/>, the plan by
/// <see cref="RolloutPlanner"/> from the read model's rows and tags (the same plan a dry run shows: same seed, same
/// waves), the rollout started and asked through the rollout shard region, and the list from the read model's
/// <c>rollouts</c> table (a projection of the rollout events, so listing wakes no rollout actor).
/// </summary>
internal sealed class ActorRollouts(
    Func<IActorRef> region,
    FleetReadStore fleet,
    Func<Uri> downloadBase,
    UpdatePolicy sagaPolicy,
    TimeSpan? askTimeout = null,
    IFleetQueries? devices = null)
    : IRollouts
{
    private readonly TimeSpan _askTimeout = askTimeout ?? TimeSpan.FromSeconds(10);

    /// <summary>The ETA's time per device: one download attempt, the boot and the health window (a healthy update on
    /// the configured deadlines, an upper bound).</summary>
    private static TimeSpan PerDevice(UpdatePolicy saga) =>
        saga.DownloadAttemptTimeout + saga.BootTimeout + saga.HealthWindow;

    public string? DescribeRolloutIdProblem(string rolloutId) => RolloutIds.DescribeRolloutIdProblem(rolloutId);

    public IReadOnlyList<RolloutPolicyProblem> DescribePolicyProblems(JsonElement policy) =>
        Problems(RolloutPolicyReader.Read(policy.GetRawText()));

    public async Task<RolloutSubmission> SubmitAsync(RolloutOrder order, bool dryRun,
        CancellationToken cancellationToken)
    {
        var read = RolloutPolicyReader.Read(order.Policy.GetRawText());
        var problems = Problems(read);
        if (read.Policy is not { } policy || problems.Count > 0) return RolloutSubmission.Invalid(problems);
        var saga = order.SagaPolicy is { } overrides ? UpdatePolicies.With(sagaPolicy, overrides) : sagaPolicy;
        if (saga.DescribeProblem() is { } sagaProblem)
            return RolloutSubmission.Invalid([new RolloutPolicyProblem("$.updatePolicy", sagaProblem)]);

        var rolloutId = order.RolloutId ?? NewRolloutId();
        var seed = order.Seed ?? Random.Shared.Next();
        // The saga replaces the URL with a fresh grant for its device at every download command (DeviceActor).
        var target = UpdateTargets.For(order.Artifact, downloadBase());
        var rollbackTarget = order.Previous is { } back ? UpdateTargets.For(back, downloadBase()) : null;
        var plan = RolloutPlanner.Plan(policy, await CandidatesAsync(cancellationToken).ConfigureAwait(false), target,
            seed, PerDevice(saga), rolloutId);
        var view = View(plan);
        if (dryRun) return RolloutSubmission.Planned(rolloutId, view);

        var start = new StartRollout(rolloutId, policy, target, [.. plan.Waves.Select(w => w.DeviceIds)], seed,
            new OperatorAction(order.Who, order.Why), rollbackTarget, saga, plan.TimeZones);
        var reply = await AskAsync<RolloutCommandReply>(start, cancellationToken).ConfigureAwait(false);
        if (!reply.Accepted) return RolloutSubmission.Refuse(rolloutId, reply.Reason ?? "refused", view);
        // The engine answers a repeated start "already started": a second rollout under a taken id is a conflict.
        return reply.Reason is null
            ? RolloutSubmission.Started(rolloutId, reply.Status.ToString(), view)
            : RolloutSubmission.Refuse(rolloutId, $"a rollout with this id exists ({reply.Status})", view);
    }

    public async Task<IReadOnlyList<RolloutSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var rows = await fleet.ListRolloutsAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(r => new RolloutSummary(r.RolloutId, r.Name, r.Status.ToString(), r.Devices, r.Commanded,
            r.Outcomes, r.StartedAt, r.UpdatedAt))];
    }

    public async Task<RolloutDetail?> GetAsync(string rolloutId, CancellationToken cancellationToken)
    {
        var view = await AskAsync<RolloutView>(new GetRollout(rolloutId), cancellationToken).ConfigureAwait(false);
        return view.Status == RolloutStatus.None ? null : Detail(view);
    }

    public async Task<RolloutDevicePage?> DevicesAsync(string rolloutId, int? wave, int offset, int limit,
        CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(rolloutId, cancellationToken).ConfigureAwait(false)) return null;
        var page = await AskAsync<RolloutDevicesPage>(new GetRolloutDevices(rolloutId, wave, offset, limit),
            cancellationToken).ConfigureAwait(false);
        return new RolloutDevicePage(rolloutId, page.Total, offset, limit, [.. page.Devices.Select(d =>
            new RolloutDeviceEntry(d.DeviceId, d.Wave, d.UpdateId, d.Step.ToString(), d.Outcome?.ToString(), d.Reason,
                d.FinishedAt, d.Reverted, d.RollbackOutcome?.ToString()))]);
    }

    public async Task<RolloutDeviceWhy?> WhyAsync(string rolloutId, string deviceId,
        CancellationToken cancellationToken)
    {
        if (!await ExistsAsync(rolloutId, cancellationToken).ConfigureAwait(false)) return null;
        var why = await AskAsync<DeviceExplanation>(new WhyDevice(rolloutId, deviceId), cancellationToken)
            .ConfigureAwait(false);
        var detail = why.Detail;
        // Which way the rollback saga goes is the device saga's choice: its history says it.
        if (why.Step is RolloutDeviceStep.RollingBack or RolloutDeviceStep.RolledBack && devices is not null
            && await devices.GetDeviceAsync(deviceId, cancellationToken).ConfigureAwait(false) is { } device
            && RollbackPathNote.Of(device.History, RolloutIds.RollbackIdFor(rolloutId, deviceId)) is { } path)
            detail += "; " + path;
        return new RolloutDeviceWhy(rolloutId, why.DeviceId, why.Wave, why.WaveName, why.Step?.ToString(),
            why.Outcome?.ToString(), why.WaitingFor, detail);
    }

    public async Task<RolloutActionResult> ActAsync(string rolloutId, RolloutActionKind action, string who, string why,
        int? wave, CancellationToken cancellationToken)
    {
        var by = new OperatorAction(who, why);
        IWithRolloutId command = action switch
        {
            RolloutActionKind.Pause => new PauseRollout(rolloutId, by),
            RolloutActionKind.Resume => new ResumeRollout(rolloutId, by),
            RolloutActionKind.Approve => new ApproveWave(rolloutId, by, wave),
            RolloutActionKind.Cancel => new CancelRollout(rolloutId, by),
            RolloutActionKind.Rollback => new RollBackRollout(rolloutId, by),
            RolloutActionKind.Activate => new ActivateRollout(rolloutId, by),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "not a rollout action"),
        };
        var reply = await AskAsync<RolloutCommandReply>(command, cancellationToken).ConfigureAwait(false);
        return reply.Status == RolloutStatus.None
            ? RolloutActionResult.NotFound
            : new RolloutActionResult(true, reply.Accepted, reply.Reason, reply.Status.ToString());
    }

    /// <summary>The read model's rows with their tags: what the planner selects from.</summary>
    private Task<IReadOnlyList<PlanCandidate>> CandidatesAsync(CancellationToken cancellationToken) =>
        fleet.PlanCandidatesAsync(cancellationToken);

    private async Task<bool> ExistsAsync(string rolloutId, CancellationToken cancellationToken) =>
        (await AskAsync<RolloutView>(new GetRollout(rolloutId), cancellationToken).ConfigureAwait(false)).Status
        != RolloutStatus.None;

    private Task<T> AskAsync<T>(IWithRolloutId message, CancellationToken cancellationToken) =>
        region().Ask<T>(message, _askTimeout, cancellationToken);

    private static List<RolloutPolicyProblem> Problems(RolloutPolicyResult read) =>
        [.. read.Problems.Select(p => new RolloutPolicyProblem(UnderPolicy(p.Path), p.Message))];

    /// <summary>The reader names problems from the policy document's root; in the request it sits at $.policy.
    /// </summary>
    private static string UnderPolicy(string path) => path == "$" ? "$.policy" : "$.policy" + path[1..];

    private static string NewRolloutId() =>
        $"r-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}-{Random.Shared.Next(0x10000):x4}";

    private static RolloutPlanView View(RolloutPlan plan) => new(plan.Seed, plan.DeviceCount,
        [.. plan.Waves.Select(w => new RolloutPlanWave(w.Name, w.DeviceIds))],
        [.. plan.Excluded.Select(e => new RolloutPlanExclusion(e.DeviceId, e.Reason, e.Detail))], plan.Eta);

    private static RolloutDetail Detail(RolloutView v) => new(v.RolloutId, v.Name, v.Status.ToString(), v.HaltReason,
        v.CurrentWave,
        [.. v.Waves.Select(w => new RolloutWaveDetail(w.Name, w.Phase.ToString(), w.Devices, w.Outcomes, w.GateState,
            w.SoakUntil, w.HaltReason))],
        v.InFlight, v.StartedAt, v.EndedAt,
        [.. v.Audit.Select(a => new RolloutAuditEntry(a.At, a.Action, a.Who, a.Why))]);
}
