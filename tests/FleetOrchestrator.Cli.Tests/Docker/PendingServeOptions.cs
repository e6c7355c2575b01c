namespace FleetOrchestrator.Cli.Tests.Docker;

/// <summary>
/// `fleet serve` options docker/compose.yaml uses that other branches of this session add (TLS: --tls-cert/--tls-key;
/// shared state: --signing-key; broker accounts: --mosquitto-dynsec), by the names their briefs give. The compose
/// checks accept them only while fleet serve lacks them; once a merge brings one, the check
/// <c>Options_pending_from_other_branches_are_still_missing_here</c> fails and the name comes off this list, so from
/// then on it is checked like every other option.
/// </summary>
internal static class PendingServeOptions
{
    /// <summary>Option name and whether it takes a value.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Names = new Dictionary<string, bool>
    {
        ["--mosquitto-dynsec"] = false,
    };

    /// <summary>The arguments without the pending options (and their values).</summary>
    public static string[] Without(IReadOnlyList<string> args)
    {
        var kept = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (Names.TryGetValue(args[i], out var takesValue))
            {
                if (takesValue) i++;
                continue;
            }
            kept.Add(args[i]);
        }
        return [.. kept];
    }
}
