namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// Where a client verb sends its requests and with which key. Each of the two is taken, separately, from the first of:
/// the command-line option (--server, --api-key), the environment (FLEET_SERVER, FLEET_API_KEY), the profile written
/// by `fleet login`. docs/cli.md states this order and refers here. <paramref name="Profile"/> is the login profile
/// when the server is the one it names, so the trust kept at login (<see cref="ClientProfile.Ca"/>) goes with it.
/// </summary>
internal sealed record ServerConnection(Uri Server, string ApiKey, string ServerSource, string KeySource,
    ClientProfile? Profile = null)
{
    /// <summary>Null when no server is set anywhere (the devices verbs then stay offline).</summary>
    public static ServerConnection? TryResolve(string? serverOption, string? keyOption, ClientEnvironment environment)
    {
        var profile = new Lazy<ClientProfile?>(() => ClientProfile.Load(environment.ProfilePath));
        var (server, serverSource) = First(serverOption, environment.Variable(ClientEnvironment.ServerVariable),
            () => profile.Value?.Server, "--server", ClientEnvironment.ServerVariable, environment.ProfilePath);
        if (server is null) return null;
        var (key, keySource) = First(keyOption, environment.Variable(ClientEnvironment.ApiKeyVariable),
            () => profile.Value?.ApiKey, "--api-key", ClientEnvironment.ApiKeyVariable, environment.ProfilePath);
        if (key is null)
        {
            throw new ClientUsageException(
                $"no API key: give --api-key, set {ClientEnvironment.ApiKeyVariable}, or run fleet login");
        }
        var uri = ParseServer(server, serverSource);
        var sameServer = profile.Value is { } p && ParseServer(p.Server, environment.ProfilePath) == uri ? p : null;
        return new ServerConnection(uri, key, serverSource, keySource, sameServer);
    }

    public static ServerConnection Resolve(string? serverOption, string? keyOption, ClientEnvironment environment) =>
        TryResolve(serverOption, keyOption, environment) ?? throw new ClientUsageException(
            $"no server: give --server URL, set {ClientEnvironment.ServerVariable}, or run fleet login");

    public static Uri ParseServer(string text, string source)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ClientUsageException($"{source}: '{text}' is not an http:// or https:// URL");
        // A base without the trailing slash would drop its last path segment when API paths are resolved against it.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    private static (string? Value, string Source) First(string? option, string? variable, Func<string?> profile,
        string optionName, string variableName, string profilePath)
    {
        if (!string.IsNullOrWhiteSpace(option)) return (option, optionName);
        if (!string.IsNullOrWhiteSpace(variable)) return (variable, variableName);
        return profile() is { Length: > 0 } fromProfile ? (fromProfile, profilePath) : (null, "");
    }
}
