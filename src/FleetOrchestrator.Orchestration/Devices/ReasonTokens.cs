using System.Text;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Orchestration.Devices;

/// <summary>
/// The saga keeps human reasons ("health-failed: device reported unhealthy: ...") for operators, but the wire carries
/// a reason token (kebab-case, at most 32 characters). The token is the reason's leading word, which every saga reason
/// starts with by convention.
/// </summary>
public static class ReasonTokens
{
    public static string ToToken(string? reason, string fallback = "rollback")
    {
        if (string.IsNullOrWhiteSpace(reason)) return fallback;
        var token = new StringBuilder(WireIdentifiers.MaxReasonLength);
        foreach (var c in reason)
        {
            if (token.Length == WireIdentifiers.MaxReasonLength || c is ':' or ' ' or '(') break;
            var lower = char.ToLowerInvariant(c);
            token.Append(lower is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? lower : '-');
        }
        var text = token.ToString().Trim('-');
        return text.Length == 0 || WireIdentifiers.DescribeReasonProblem(text) is not null ? fallback : text;
    }
}
