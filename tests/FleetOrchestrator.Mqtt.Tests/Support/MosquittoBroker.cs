using FleetOrchestrator.Mqtt.Mosquitto;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>A real Mosquitto for the tests (the product's <see cref="LocalMosquitto"/>) with known service credentials.</summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    public const string BinaryPath = LocalMosquitto.BinaryPath;
    public const string ServiceUser = "fleet-orchestrator";
    public const string ServiceSecret = "mosquitto-service-secret";
    private readonly LocalMosquitto _process;

    private MosquittoBroker(LocalMosquitto process, IReadOnlyDictionary<string, string> deviceSecrets)
    {
        _process = process;
        DeviceSecrets = deviceSecrets;
    }

    public int Port => _process.Port;
    public IReadOnlyDictionary<string, string> DeviceSecrets { get; }
    public string Output => _process.Output;

    public static Task<MosquittoBroker> StartAsync(IEnumerable<string> deviceIds) =>
        StartAsync(deviceIds.ToDictionary(id => id, _ => FleetOrchestrator.Mqtt.Security.DeviceSecrets.Generate()), port: null);

    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> secrets, int? port,
        TimeSpan? readinessDeadline = null, string? extraConfiguration = null)
    {
        var users = secrets.Append(new KeyValuePair<string, string>(ServiceUser, ServiceSecret));
        var process = await LocalMosquitto.StartAsync(users, ServiceUser, port, readinessDeadline, extraConfiguration);
        return new MosquittoBroker(process, secrets);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
