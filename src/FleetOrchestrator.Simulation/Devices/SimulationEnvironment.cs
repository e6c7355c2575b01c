using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.L072.Memory;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Links.KeepAlive;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet.Adapter;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>
/// What every device of a simulated fleet shares: where the broker is, the HTTP client for downloads, the fleet's
/// trusted manifest keys, the ONE page pool (identical flash content is stored once for the whole fleet), the MCU
/// configuration, the firmware every device starts with, the link profile and the time compression.
/// </summary>
public sealed class SimulationEnvironment
{
    private readonly Lock _gate = new();
    private readonly Dictionary<SemanticVersion, BankContent> _initialContent = [];

    public required string BrokerHost { get; init; }
    public required int BrokerPort { get; init; }
    /// <summary>
    /// Null: devices connect to <see cref="BrokerHost"/>:<see cref="BrokerPort"/> over TCP. Otherwise the in-process
    /// link of an embedded broker in the same process (the same MQTT packets, no socket).
    /// </summary>
    public IMqttClientAdapterFactory? MqttLink { get; init; }
    /// <summary>
    /// Null: plain MQTT. Set: MQTT over TLS to <see cref="BrokerHost"/>:<see cref="BrokerPort"/>, checking the server
    /// by this trust. (Downloads follow <see cref="Http"/>, whose handler carries the same trust for https URLs.)
    /// </summary>
    public FleetOrchestrator.Mqtt.Security.ServerTrust? BrokerTls { get; init; }
    /// <summary>Shared by all devices; its handler's connection pool serves the whole fleet.</summary>
    public required HttpClient Http { get; init; }
    /// <summary>Public keys by key id, as provisioned into every device at manufacture.</summary>
    public required IReadOnlyDictionary<string, ManifestVerificationKey> TrustedKeys { get; init; }

    public PagePool Pool { get; init; } = PagePool.Shared;
    public L072Configuration Mcu { get; init; } = L072Configuration.Default;
    public UpdateAgentOptions Agent { get; init; } = UpdateAgentOptions.Default;
    /// <summary>The committed image in bank 1 when a device is first powered (a synthetic image that boots).</summary>
    public SemanticVersion InitialVersion { get; init; } = new(1, 0, 0);
    /// <summary>Size of the initial synthetic image; the default fills a 96 KB bank.</summary>
    public int InitialImageSize { get; init; } = 96 * 1024;
    public LinkProfile Link { get; init; } = LinkProfile.Instant;
    public TimeCompression Time { get; init; } = TimeCompression.NoDelays;
    public FaultSettings FaultSettings { get; init; } = FaultSettings.Default;
    /// <summary>Bytes per HTTP range request (AWS-style 4 KB blocks, reference §4.2).</summary>
    public int ChunkSize { get; init; } = 4096;
    /// <summary>Attempts at one offset before the device gives up and reports <c>stagingFailed download</c>.</summary>
    public int MaxChunkAttempts { get; init; } = 5;
    /// <summary>MQTT keep-alive of each device (PROTOCOL.md §2 suggests 60–1200 s).</summary>
    public int KeepAliveSeconds { get; init; } = 300;
    /// <summary>
    /// MQTT 5 Will Delay Interval of each device (PROTOCOL.md §2: SHOULD be 60 s), so the reset that runs a swapped bank
    /// does not flap the device offline when it is back within the delay.
    /// </summary>
    public uint WillDelaySeconds { get; init; } = 60;
    /// <summary>
    /// Pings every device's connection from one timer (the CONNECT still declares <see cref="KeepAliveSeconds"/>).
    /// Null: each device's MQTT client pings on its own, which MQTTnet does by waking every 250 ms per connection.
    /// </summary>
    public SharedKeepAlive? KeepAlive { get; init; } = SharedKeepAlive.Shared;
    public ILoggerFactory Logs { get; init; } = NullLoggerFactory.Instance;
    /// <summary>
    /// Null: every device stays connected for its whole life. Otherwise devices sleep while idle (offline, no
    /// connection) and this network wakes them when a command waits for them.
    /// </summary>
    public DevicePaging? Paging { get; init; }

    /// <summary>
    /// The initial image's bank content (of <paramref name="version"/>, default <see cref="InitialVersion"/>), interned
    /// once per version in <see cref="Pool"/> and shared copy-on-write.
    /// </summary>
    public BankContent InitialBankContent(SemanticVersion? version = null)
    {
        var v = version ?? InitialVersion;
        lock (_gate)
        {
            if (!_initialContent.TryGetValue(v, out var content))
            {
                _initialContent[v] = content = Pool.InternContent(
                    SyntheticImage.Create(v, ImageBehaviour.Boots, InitialImageSize), Mcu.Part.PagesPerBank);
            }
            return content;
        }
    }
}
