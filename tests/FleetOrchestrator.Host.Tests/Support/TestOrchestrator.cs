using System.Net.Http.Headers;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Simulation.Runs;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetOrchestrator.Host.Tests.Support;

/// <summary>
/// A real orchestrator as <c>fleet serve</c> runs one: embedded broker and HTTP on free ports, SQLite in a data
/// directory, a known operator key. Saga deadlines are the simulator's floors, so nothing waits for field timeouts.
/// </summary>
public sealed class TestOrchestrator : IAsyncDisposable
{
    public const string OperatorKey = "operator-key-for-host-tests";

    private TestOrchestrator(OrchestratorHost host, string dataDirectory, bool ownsDirectory, ServerTrust? trust)
    {
        Host = host;
        _trust = trust;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        Operator = Client(OperatorKey);
        Anonymous = Client(null);
    }

    private readonly bool _ownsDirectory;
    private readonly ServerTrust? _trust;

    public OrchestratorHost Host { get; }
    public string DataDirectory { get; }

    /// <summary>HTTP with the operator's bearer key.</summary>
    public HttpClient Operator { get; }

    /// <summary>HTTP without any credentials.</summary>
    public HttpClient Anonymous { get; }

    public string PublicKeyPath => Host.Web.Services.GetRequiredService<ServerSecrets>().PublicKeyPath;

    public static string NewDataDirectory() => Directory.CreateTempSubdirectory("fleet-host-tests-").FullName;

    /// <summary>Starts on <paramref name="dataDirectory"/>; the directory is deleted at dispose only when created here.</summary>
    /// <param name="trust">How the test's HTTP clients check an https:// server (null: plain HTTP clients).</param>
    public static async Task<TestOrchestrator> StartAsync(string? dataDirectory = null,
        Func<OrchestratorOptions, OrchestratorOptions>? adjust = null, ServerTrust? trust = null)
    {
        var owns = dataDirectory is null;
        var directory = dataDirectory ?? NewDataDirectory();
        var options = new OrchestratorOptions
        {
            Persistence = FleetPersistenceOptions.Sqlite(Path.Combine(directory, "fleet.db")),
            Mqtt = new MqttTransportOptions { Embedded = new EmbeddedBrokerOptions { Port = 0 } },
            Server = new FleetServerOptions
            {
                Urls = "http://127.0.0.1:0",
                DataDirectory = directory,
                OperatorApiKeySha256 = OperatorApiKey.Sha256Hex(OperatorKey),
            },
            UpdatePolicy = SimulationPolicy.For(double.PositiveInfinity),
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
        return new TestOrchestrator(host, directory, owns, trust);
    }

    private HttpClient Client(string? bearer)
    {
        var client = new HttpClient(_trust?.CreateHttpHandler() ?? new SocketsHttpHandler())
        {
            BaseAddress = Host.HttpAddress, Timeout = TimeSpan.FromSeconds(30),
        };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Operator.Dispose();
        Anonymous.Dispose();
        await Host.DisposeAsync();
        if (_ownsDirectory) Directory.Delete(DataDirectory, recursive: true);
    }
}
