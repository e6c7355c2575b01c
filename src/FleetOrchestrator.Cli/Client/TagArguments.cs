namespace FleetOrchestrator.Cli.Client;

/// <summary>`--tag k=v` arguments as a dictionary; the server checks names and values, this only splits them.</summary>
internal static class TagArguments
{
    public static Dictionary<string, string> Parse(IEnumerable<string>? pairs)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new ClientUsageException($"--tag '{pair}' is not NAME=VALUE");
            tags[pair[..equals]] = pair[(equals + 1)..];
        }
        return tags;
    }
}
