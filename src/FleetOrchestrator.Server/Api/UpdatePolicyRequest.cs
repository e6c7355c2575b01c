using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FleetOrchestrator.Server.Api;

/// <summary>
/// Reads the optional <c>policy</c> object of <c>POST /api/updates</c>: durations as <c>"hh:mm:ss"</c> strings (hours
/// may exceed 23), attempt counts as integers. Every problem is named by its JSON path (<c>policy.healthWindow</c>).
/// </summary>
public static partial class UpdatePolicyRequest
{
    private delegate UpdatePolicyOverrides Setter(
        UpdatePolicyOverrides policy, JsonElement value, string path, List<string> errors);

    private static readonly Dictionary<string, Setter> Members = new(StringComparer.Ordinal)
    {
        ["reachTimeout"] = Duration((p, v) => p with { ReachTimeout = v }),
        ["maxDownloadAttempts"] = Count((p, v) => p with { MaxDownloadAttempts = v }),
        ["downloadAttemptTimeout"] = Duration((p, v) => p with { DownloadAttemptTimeout = v }),
        ["backoffBase"] = Duration((p, v) => p with { BackoffBase = v }),
        ["backoffCap"] = Duration((p, v) => p with { BackoffCap = v }),
        ["maxIntegrityFailures"] = Count((p, v) => p with { MaxIntegrityFailures = v }),
        ["swapAckTimeout"] = Duration((p, v) => p with { SwapAckTimeout = v }),
        ["bootTimeout"] = Duration((p, v) => p with { BootTimeout = v }),
        ["healthWindow"] = Duration((p, v) => p with { HealthWindow = v }),
        ["healthReportDeadline"] = Duration((p, v) => p with { HealthReportDeadline = v }),
        ["commitTimeout"] = Duration((p, v) => p with { CommitTimeout = v }),
        ["rollbackTimeout"] = Duration((p, v) => p with { RollbackTimeout = v }),
        ["resendInterval"] = Duration((p, v) => p with { ResendInterval = v }),
        ["resendIntervalCap"] = Duration((p, v) => p with { ResendIntervalCap = v }),
    };

    /// <summary>The member names <c>policy</c> accepts.</summary>
    public static IReadOnlyCollection<string> MemberNames => Members.Keys;

    /// <summary>The overrides, or null with the problems added to <paramref name="errors"/> (absent or null
    /// policy: no overrides).</summary>
    public static UpdatePolicyOverrides? Parse(JsonElement? policy, List<string> errors)
    {
        if (policy is not { } element || element.ValueKind == JsonValueKind.Null)
            return new UpdatePolicyOverrides();
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"policy: must be an object of durations (\"hh:mm:ss\") and counts, got {element.ValueKind}");
            return null;
        }
        int before = errors.Count;
        var result = new UpdatePolicyOverrides();
        foreach (var member in element.EnumerateObject())
        {
            var path = "policy." + member.Name;
            if (Members.TryGetValue(member.Name, out var set))
                result = set(result, member.Value, path, errors);
            else
                errors.Add($"{path}: unknown member (one of: {string.Join(", ", Members.Keys)})");
        }
        return errors.Count == before ? result : null;
    }

    private static Setter Duration(Func<UpdatePolicyOverrides, TimeSpan, UpdatePolicyOverrides> apply) =>
        (policy, value, path, errors) =>
    {
        if (value.ValueKind == JsonValueKind.String
            && DurationPattern().Match(value.GetString()!) is { Success: true } m)
        {
            int Part(int i) => int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture);
            var duration = new TimeSpan(Part(1), Part(2), Part(3));
            if (duration > TimeSpan.Zero)
                return apply(policy, duration);
            errors.Add($"{path}: must be longer than 00:00:00");
            return policy;
        }
        errors.Add($"{path}: must be a duration \"hh:mm:ss\" (e.g. \"00:10:00\"), got {value.GetRawText()}");
        return policy;
    };

    private static Setter Count(Func<UpdatePolicyOverrides, int, UpdatePolicyOverrides> apply) =>
        (policy, value, path, errors) =>
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n is >= 1 and <= 100)
            return apply(policy, n);
        errors.Add($"{path}: must be an integer 1..100, got {value.GetRawText()}");
        return policy;
    };

    // Hours may exceed 23 (a 24 h deadline is "24:00:00"); at most 5 digits keeps the value inside TimeSpan.
    [GeneratedRegex(@"^(\d{1,5}):([0-5]\d):([0-5]\d)$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
