using System.Collections.Concurrent;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Server.Tests.Fakes;

/// <summary>Accepts every device except those marked busy, and keeps every order it received.</summary>
internal sealed class RecordingUpdateCommands : IUpdateCommands
{
    public ConcurrentQueue<UpdateOrder> Orders { get; } = new();
    public HashSet<string> Busy { get; } = new(StringComparer.Ordinal);

    /// <summary>Devices whose saga "does not answer in time".</summary>
    public HashSet<string> Slow { get; } = new(StringComparer.Ordinal);

    /// <summary>What <see cref="DescribePolicyProblem"/> answers (the orchestration's cross-member rules).</summary>
    public string? PolicyProblem { get; set; }

    public string? DescribePolicyProblem(UpdatePolicyOverrides policy) => PolicyProblem;

    public Task<IReadOnlyList<UpdateDecision>> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken)
    {
        Orders.Enqueue(order);
        IReadOnlyList<UpdateDecision> decisions =
        [
            .. order.DeviceIds.Select(id => Busy.Contains(id)
                ? UpdateDecision.Refuse(id, "an update saga is already running")
                : Slow.Contains(id) ? UpdateDecision.Pending(id, $"no answer yet: check GET /api/devices/{id}")
                : UpdateDecision.Accept(id)),
        ];
        return Task.FromResult(decisions);
    }
}
