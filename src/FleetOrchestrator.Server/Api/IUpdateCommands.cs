using FleetOrchestrator.Server.Artifacts;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Write side the operator API needs: start the update saga of each listed device towards an artifact that is
/// already stored and signed. Implemented by the host over the device actors. Each device is decided on its own:
/// one refusal (busy, unknown, already on that version) does not refuse the others.
/// </summary>
public interface IUpdateCommands
{
    Task<IReadOnlyList<UpdateDecision>> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken);

    /// <summary>
    /// Null when a saga can run with these overrides on top of the defaults, otherwise why not (e.g. a backoff cap
    /// below its base). The rules are the orchestration's; the endpoint only reads the syntax.
    /// </summary>
    string? DescribePolicyProblem(UpdatePolicyOverrides policy);
}
