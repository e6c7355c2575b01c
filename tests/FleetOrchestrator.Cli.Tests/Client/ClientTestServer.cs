using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Simulation.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// A real `fleet serve` composition (OrchestratorHost: embedded broker and HTTP on free ports, SQLite, a known operator
/// key, the simulator's saga deadlines) and `fleet` client runs against it. The client's environment is empty and its
/// profile lives in the test's directory, so the user's own FLEET_SERVER or profile never leak in.
/// </summary>
internal sealed class ClientTestServer : IAsyncDisposable
{
    public const string Key = "operator-key-for-cli-tests";

    private readonly string _directory;

    private ClientTestServer(OrchestratorHost host, string directory)
    {
        Host = host;
        _directory = directory;
        Environment = new ClientEnvironment
        {
            Variable = _ => null,
            ProfilePath = Path.Combine(directory, "client", "profile.json"),
            PollInterval = TimeSpan.FromMilliseconds(200),
        };
    }

    public OrchestratorHost Host { get; }
    public ClientEnvironment Environment { get; }
    public string Url => Host.HttpAddress.AbsoluteUri;
    public string Directory => _directory;
    public string PublicKeyPath => Host.Web.Services.GetRequiredService<ServerSecrets>().PublicKeyPath;

    /// <summary>The server with the simulator's saga deadlines, or <paramref name="updatePolicy"/> (e.g. the field
    /// defaults, which hold a saga in its health window for 10 minutes).
    /// <paramref name="signingKeyPath"/> is `fleet serve --signing-key`.</summary>
    public static async Task<ClientTestServer> StartAsync(UpdatePolicy? updatePolicy = null,
        string? signingKeyPath = null, Func<OrchestratorOptions, OrchestratorOptions>? adjust = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("fleet-client-tests-").FullName;
        var options = new OrchestratorOptions
        {
            Persistence = FleetPersistenceOptions.Sqlite(Path.Combine(directory, "fleet.db")),
            Mqtt = new MqttTransportOptions { Embedded = new EmbeddedBrokerOptions { Port = 0 } },
            Server = new FleetServerOptions
            {
                Urls = "http://127.0.0.1:0",
                DataDirectory = directory,
                OperatorApiKeySha256 = OperatorApiKey.Sha256Hex(Key),
                SigningKeyPath = signingKeyPath,
            },
            UpdatePolicy = updatePolicy ?? SimulationPolicy.For(double.PositiveInfinity),
        };
        var host = new OrchestratorHost(adjust?.Invoke(options) ?? options, NullLoggerFactory.Instance);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return new ClientTestServer(host, directory);
    }

    /// <summary>`fleet ARGS --server URL --api-key KEY`.</summary>
    public Task<ClientRun> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public Task<ClientRun> RunAsync(CancellationToken cancellationToken, params string[] args) =>
        ClientRun.Of(Environment, [.. args, "--server", Url, "--api-key", Key], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
