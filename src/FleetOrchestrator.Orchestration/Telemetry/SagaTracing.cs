using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace FleetOrchestrator.Orchestration.Telemetry;

/// <summary>
/// Saga steps as trace spans (source <see cref="SourceName"/>). A step spans several messages and may outlive the
/// actor (passivation, a restart), so its span is written when the step ends, with the start time its events
/// journaled. The spans of one update share a trace id derived from the update id (and a parent span id derived the
/// same way, which no span carries itself), so a tracing backend shows one trace per update without the actor
/// keeping a span open. Without a listener (no OTLP endpoint configured) nothing is created.
/// </summary>
public static class SagaTracing
{
    public const string SourceName = "FleetOrchestrator.Sagas";

    private static readonly ActivitySource Source = new(SourceName);

    public static void StepEnded(SagaStepTiming step, string deviceId, string updateId, string? rolloutId,
        string? outcome)
    {
        if (!Source.HasListeners()) return;
        var parent = ContextOf(updateId);
        using var activity = Source.StartActivity($"saga {step.Step}", ActivityKind.Internal, parent,
            startTime: step.Start);
        if (activity is null) return;
        activity.SetTag("fleet.device.id", deviceId);
        activity.SetTag("fleet.update.id", updateId);
        if (rolloutId is not null) activity.SetTag("fleet.rollout.id", rolloutId);
        if (outcome is not null) activity.SetTag("fleet.saga.outcome", outcome);
        activity.SetEndTime(step.End.UtcDateTime);
    }

    /// <summary>The parent every span of <paramref name="updateId"/> names, the same on every node.</summary>
    public static ActivityContext ContextOf(string updateId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(updateId), hash);
        return new ActivityContext(ActivityTraceId.CreateFromBytes(hash[..16]),
            ActivitySpanId.CreateFromBytes(hash[16..24]), ActivityTraceFlags.Recorded, isRemote: true);
    }
}
