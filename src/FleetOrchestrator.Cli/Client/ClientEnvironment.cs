namespace FleetOrchestrator.Cli.Client;

/// <summary>
/// What the client verbs take from the process: environment variables, where the login profile lives, and the HTTP
/// handler. Tests replace each, so precedence and error rendering are tested without touching the user's files.
/// </summary>
internal sealed record ClientEnvironment
{
    public const string ServerVariable = "FLEET_SERVER";
    public const string ApiKeyVariable = "FLEET_API_KEY";

    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>
    /// The profile `fleet login` writes: $XDG_CONFIG_HOME/fleet/profile.json (~/.config/fleet on Linux).
    /// </summary>
    public string ProfilePath { get; init; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData,
            Environment.SpecialFolderOption.DoNotVerify),
        "fleet", "profile.json");

    /// <summary>Null: a plain <see cref="SocketsHttpHandler"/>.</summary>
    public Func<HttpMessageHandler>? Handler { get; init; }

    /// <summary>How often `rollout watch` and `devices simulate` refresh.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static ClientEnvironment Process { get; } = new();
}
