namespace FleetOrchestrator.Server.Downloads;

/// <summary>Outcome of checking a download grant; <see cref="Reason"/> says why a refused grant is refused.</summary>
public sealed record GrantVerdict(bool Allowed, string? Reason)
{
    public static readonly GrantVerdict Allow = new(true, null);

    public static GrantVerdict Refuse(string reason) => new(false, reason);
}
