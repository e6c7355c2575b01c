using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Adapters;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Mqtt.Configuration;
using FleetOrchestrator.Mqtt.Mosquitto;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Simulation.Devices;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Fleet;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Links.InProcessHttp;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// `fleet simulate`: an orchestrator (broker, actor system, HTTP side) and N simulated devices in one process. Every
/// device starts on 1.0.0 and is updated to 1.1.0 through the full saga over MQTT, with a real image transfer over
/// HTTP; devices drawn for the crash-loop fault get a 1.1.0 build that crash-loops and must come back RolledBack.
/// Ends with invariant checks against each device's own truth.
/// </summary>
public sealed partial class FleetRunner(SimulationOptions options, ILoggerFactory logs)
{
    public static readonly SemanticVersion InitialVersion = new(1, 0, 0);
    public static readonly SemanticVersion TargetVersion = new(1, 1, 0);
    private const string HardwareTarget = "stm32l072cz";
    // Shared by the whole fleet: downloads beyond this many at once wait for a pooled connection.
    private const int MaxHttpConnections = 512;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private readonly DeviceOutcomes _outcomes = new();
    private readonly ConcurrentDictionary<string, long> _startedAt = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _thirdDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SwitchableMqttLink _mqttLink = new();
    private readonly SwitchableHttpLink _httpLink = new();
    private SemaphoreSlim? _slots;
    private SimulationFeed? _feed;
    private OrchestratorHost? _host;
    private OrchestratorOptions? _hostOptions;
    private SimulatedFleetOptions? _fleetOptions;
    private DevicePaging? _paging;

    public async Task<SimulationReport> RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var report = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
            if (options.MeasureRecovery && !options.DryRun)
            {
                var recovery = await MeasureRecoveryAsync(report, cancellationToken).ConfigureAwait(false);
                report = report with { Recovery = recovery };
            }
            if (_paging is { } paging)
                Say($"sleeping devices: {paging.Pages} pages, {paging.Wakes} wake-ups, {paging.Sleeps} sleeps, " +
                    $"{paging.Awake} awake at the end");
            return report;
        }
        finally
        {
            _feed?.Stop();
            if (_host is not null) await _host.DisposeAsync().ConfigureAwait(false);
            _paging?.Dispose();
        }
    }

    private async Task<SimulationReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var workDir = Path.GetFullPath(Path.Combine(options.WorkDirectory, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{options.Seed}"));
        Directory.CreateDirectory(workDir);
        var persistence = options.Store?.Options ?? FleetPersistenceOptions.Sqlite(Path.Combine(workDir, "fleet.db"));
        var fleetOptions = new SimulatedFleetOptions { DeviceCount = options.Devices, Seed = options.Seed, Faults = options.Faults };
        var faults = SimulatedFleet.FaultsOf(fleetOptions, FaultSettings.Default);
        fleetOptions = WithDeviceFacts(fleetOptions, faults);

        var broker = options.Broker;
        await using var mosquitto = broker is { SpawnLocal: true }
            ? await StartMosquittoAsync(broker, fleetOptions).ConfigureAwait(false)
            : null;
        if (mosquitto is not null) broker = broker! with { Port = mosquitto.Port };

        var hostOptions = new OrchestratorOptions
        {
            Persistence = persistence,
            // Ctrl+C and SIGTERM end the run (the command's token), not only the orchestrator inside it.
            HandleTerminationSignals = false,
            Mqtt = broker is null
                ? new MqttTransportOptions { Embedded = new EmbeddedBrokerOptions { Port = 0 } }
                : new MqttTransportOptions { Mode = MqttTransportMode.External, External = broker.ToOptions() },
            Server = new FleetServerOptions { Urls = "http://127.0.0.1:0", DataDirectory = workDir },
            UpdatePolicy = SimulationPolicy.For(options.Speedup),
        };
        Say($"workdir {workDir}; broker {broker?.ToString() ?? "embedded"}; store {options.Store?.Display ?? "sqlite (fresh file)"}");

        var updateId = $"sim-{options.Seed}";
        _feed = new SimulationFeed(options.Devices, InitialVersionOf, outcome =>
        {
            if (outcome.UpdateId == updateId || IsRolloutOutcome(outcome)) Record(outcome);
        });
        _hostOptions = hostOptions;
        _fleetOptions = fleetOptions;
        _paging = options.SleepWhenIdle is { } idle ? new DevicePaging(idle) : null;
        _host = new OrchestratorHost(hostOptions, logs, WithPaging(DeviceLinks(hostOptions)));
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
        _feed.Follow(_host.System);
        var host = _host;
        var (good, bad) = UploadImages(host);
        Say($"orchestrator up in {wall.Elapsed.TotalSeconds:0.0}s (http {host.HttpAddress}, mqtt {host.BrokerEndpoint.Host}:{host.BrokerEndpoint.Port}); connecting {options.Devices} devices");

        _mqttLink.Switch(host.Services.GetService<InProcessMqttConnector>());
        _httpLink.Switch(host.Web.Services.GetService<InProcessHttpConnector>());
        var handler = options.DeviceLink == DeviceLink.InProcess
            ? _httpLink.CreateHandler(MaxHttpConnections)
            : new SocketsHttpHandler { MaxConnectionsPerServer = MaxHttpConnections };
        handler.PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2);
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        var signing = host.Web.Services.GetRequiredService<ServerSecrets>().SigningKey;
        var environment = new SimulationEnvironment
        {
            BrokerHost = host.BrokerEndpoint.Host,
            BrokerPort = host.BrokerEndpoint.Port,
            MqttLink = host.Services.GetService<InProcessMqttConnector>() is not null ? _mqttLink : null,
            Http = http,
            TrustedKeys = new Dictionary<string, FleetOrchestrator.Firmware.Signing.ManifestVerificationKey> { [signing.KeyId] = signing.PublicKey },
            Link = options.Link,
            Time = double.IsPositiveInfinity(options.Speedup) ? TimeCompression.NoDelays : new TimeCompression(options.Speedup),
            InitialVersion = InitialVersion,
            Logs = logs,
            Paging = _paging,
        };
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var connecting = StartConnectProgress(wall);
        await using var fleet = await SimulatedFleet.StartAsync(fleetOptions, environment, host.Credentials, cancellationToken).ConfigureAwait(false);
        var memoryPerDevice = Math.Max(0, (GC.GetTotalMemory(forceFullCollection: false) - memoryBefore) / options.Devices);
        await WaitUntilRegisteredAsync(options.Devices, cancellationToken).ConfigureAwait(false);
        connecting.Dispose();
        Say($"{options.Devices} devices online and registered by the orchestrator in {wall.Elapsed.TotalSeconds:0.0}s ({memoryPerDevice / 1024} KB/device); updating to {TargetVersion}, at most {options.MaxInFlight} in flight");

        var onlineSeconds = wall.Elapsed.TotalSeconds;
        if (options.Rollout is not null)
            return await RunRolloutAsync(host, fleet, SimulatedFleet.DeviceIds(fleetOptions), faults, good, wall,
                onlineSeconds, memoryPerDevice, cancellationToken).ConfigureAwait(false);
        var updateWall = Stopwatch.StartNew();
        var updatesBegan = DateTimeOffset.UtcNow;
        var urls = host.Web.Services.GetRequiredService<DownloadUrls>();
        var ids = SimulatedFleet.DeviceIds(fleetOptions);
        StartUpdate MessageFor(string id) => new(id, updateId,
            UpdateTargets.For(faults[id].CrashLoop ? bad : good, urls.For(id, (faults[id].CrashLoop ? bad : good).Id)), hostOptions.UpdatePolicy, "simulate");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        _slots = new SemaphoreSlim(options.MaxInFlight);
        var progress = StartProgress(updateWall);

        var restart = options.Faults.HasFlag(FaultKind.OrchestratorRestart)
            ? RestartMidRunAsync(ids, MessageFor, deadline.Token)
            : Task.CompletedTask;
        try
        {
            // Asks run concurrently: each StartUpdate is answered only after its first event is persisted, and
            // waiting for one before sending the next would make the journal's latency the fleet's pace.
            var starts = new List<Task>(ids.Count);
            foreach (var id in ids)
            {
                await _slots.WaitAsync(deadline.Token).ConfigureAwait(false);
                _startedAt[id] = updateWall.ElapsedMilliseconds;
                starts.Add(StartOneAsync(MessageFor(id), deadline.Token));
            }
            await Task.WhenAll(starts).ConfigureAwait(false);
            while (_outcomes.Count < ids.Count) await _slots.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Say($"timeout after {options.Timeout}: {ids.Count - _outcomes.Count} device(s) unfinished");
        }
        await deadline.CancelAsync().ConfigureAwait(false);
        await restart.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        var updateSeconds = updateWall.Elapsed.TotalSeconds;
        progress.Dispose();
        await fleet.IdleAsync().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);

        var views = await ViewsAsync(_host, ids, cancellationToken).ConfigureAwait(false);
        var report = SimulationReports.Build(options, ids, faults, _outcomes.All, views, fleet, updateSeconds,
            onlineSeconds, memoryPerDevice, InitialVersionOf, TargetVersion);
        report = ReportSeries.Add(report, _outcomes.All.Values, updatesBegan);
        Say($"done in {wall.Elapsed.TotalSeconds:0.0}s wall ({updateSeconds:0.0}s of updates): {string.Join(", ", report.Outcomes.Select(o => $"{o.Key} {o.Value}"))}; " +
            $"bricked {report.Invariants.Bricked}, downgrades {report.Invariants.AccidentalDowngrades}, view mismatches {report.Invariants.ViewMismatches}, unexpected outcomes {report.Invariants.UnexpectedOutcomes}");
        return report;
    }

    /// <summary>
    /// Waits until the saga feed shows every device online on its initial version, i.e. until the orchestrator has
    /// persisted what the devices reported on connecting. Devices finish connecting before the orchestrator has
    /// consumed that burst (presence, boot and state of each); without this wait the update phase would start behind
    /// a backlog that belongs to connecting, and its wall time would carry it.
    /// </summary>
    private async Task WaitUntilRegisteredAsync(int devices, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!_feed!.AllRegistered.IsCompleted)
        {
            if (deadline.Elapsed > options.Timeout)
                throw new TimeoutException($"the orchestrator registered only {_feed.Registered} of {devices} connected devices within {options.Timeout}");
            var wait = options.Timeout - deadline.Elapsed < options.ProgressInterval ? options.Timeout - deadline.Elapsed : options.ProgressInterval;
            await Task.WhenAny(_feed.AllRegistered, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>`--broker mosquitto`: every simulated device and the orchestrator get an account in a fresh Mosquitto.</summary>
    private async Task<LocalMosquitto> StartMosquittoAsync(BrokerUrl broker, SimulatedFleetOptions fleetOptions)
    {
        var users = SimulatedFleet.DeviceIds(fleetOptions)
            .Select(id => new KeyValuePair<string, string>(id, SimulatedFleet.SecretOf(fleetOptions.Seed, id)))
            .Append(new KeyValuePair<string, string>(broker.UserName, broker.Password));
        var mosquitto = await LocalMosquitto.StartAsync(users, broker.UserName).ConfigureAwait(false);
        Say($"mosquitto started on 127.0.0.1:{mosquitto.Port} with {fleetOptions.DeviceCount} device accounts");
        return mosquitto;
    }

    private (StoredArtifact Good, StoredArtifact Bad) UploadImages(OrchestratorHost host)
    {
        var uploader = host.Web.Services.GetRequiredService<ArtifactUploader>();
        StoredArtifact Upload(string name, byte[] image)
        {
            var outcome = uploader.Upload(new ArtifactUpload(name, image, TargetVersion, HardwareTarget, new SemanticVersion(1, 0, 0), DowngradeAllowed: false));
            return outcome is UploadOutcome.Stored stored
                ? stored.Artifact
                : throw new InvalidOperationException($"the simulation's own image {name} was refused: {outcome}");
        }
        return (Upload("app-1.1.0.bin", SyntheticImage.Create(TargetVersion)),
                Upload("app-1.1.0-crash-loop.bin", SyntheticImage.Create(TargetVersion, ImageBehaviour.CrashLoop)));
    }

    private async Task StartOneAsync(StartUpdate start, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var reply = await _host!.DeviceRegion.Ask<SagaRequestReply>(start, AskTimeout, cancellationToken).ConfigureAwait(false);
                if (!reply.Accepted) Record(new SagaOutcome(start.DeviceId, start.UpdateId, start.RolloutId, UpdateOutcome.Failed, $"refused: {reply.Reason}", DateTimeOffset.UtcNow));
                return;
            }
            catch (Exception e) when (e is AskTimeoutException or InvalidOperationException && attempt < 10 && !cancellationToken.IsCancellationRequested)
            {
                // The orchestrator may be restarting (orchestrator-restart fault): ask the new one.
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Record(SagaOutcome outcome)
    {
        if (!_outcomes.Record(outcome)) return;
        _slots?.Release();
        _firstDone.TrySetResult();
        if (_outcomes.Count >= options.Devices / 3) _thirdDone.TrySetResult();
    }

    /// <summary>
    /// The orchestrator-restart fault, as a `kill` and restart of `fleet serve` would do it: once a third of the fleet
    /// is done, the whole orchestrator (actor system, broker, HTTP) stops and a new one starts on the same database,
    /// data directory and ports. Devices lose their broker connection and reconnect; remembered sagas resume from the
    /// journal and re-arm their deadlines; the saga feed resumes from its last offset on the new actor system.
    /// </summary>
    private async Task RestartMidRunAsync(IReadOnlyList<string> ids, Func<string, StartUpdate> messageFor, CancellationToken cancellationToken)
    {
        if (ids.Count / 3 == 0) _thirdDone.TrySetResult();
        await _thirdDone.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        Say($"orchestrator-restart: stopping the orchestrator with {_startedAt.Count - _outcomes.Count} saga(s) in flight");
        await RestartOrchestratorAsync(cancellationToken).ConfigureAwait(false);
        // StartUpdate is idempotent per update id: this wakes every started saga (remember-entities already does) and
        // changes nothing in those that finished while the orchestrator was down.
        var inFlight = ids.Where(id => _startedAt.ContainsKey(id) && !_outcomes.Contains(id)).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(inFlight, parallel,
            async (id, ct) => await StartOneAsync(messageFor(id), ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Stops the whole orchestrator and starts a new one on the same database, data directory and ports;
    /// the devices' links follow it.</summary>
    private async Task RestartOrchestratorAsync(CancellationToken cancellationToken)
    {
        var old = _host!;
        var sameEndpoints = _hostOptions! with
        {
            Mqtt = _hostOptions.Mqtt.Mode == MqttTransportMode.Embedded
                ? _hostOptions.Mqtt with { Embedded = _hostOptions.Mqtt.Embedded with { Port = old.BrokerEndpoint.Port } }
                : _hostOptions.Mqtt,
            Server = _hostOptions.Server with { Urls = old.HttpAddress.ToString().TrimEnd('/') },
        };
        _feed!.Stop();
        _mqttLink.Switch(null);
        _httpLink.Switch(null);
        await old.DisposeAsync().ConfigureAwait(false);
        var restarted = new OrchestratorHost(sameEndpoints, logs, WithPaging(DeviceLinks(sameEndpoints)));
        SimulatedFleet.Provision(_fleetOptions!, restarted.Credentials);
        await restarted.StartAsync(cancellationToken).ConfigureAwait(false);
        _host = restarted;
        _feed.Follow(restarted.System);
        _mqttLink.Switch(restarted.Services.GetService<InProcessMqttConnector>());
        _httpLink.Switch(restarted.Web.Services.GetService<InProcessHttpConnector>());
        Say("orchestrator-restart: new orchestrator up; remembered sagas and rollouts resume from the journal");
    }

    /// <summary>
    /// What the orchestrator adds for the devices of this run: with the in-process device link, the in-process HTTP
    /// endpoint beside its TCP URLs and, with the embedded broker, its in-process listener (the product has neither).
    /// </summary>
    private Action<IServiceCollection>? DeviceLinks(OrchestratorOptions host)
    {
        if (options.DeviceLink != DeviceLink.InProcess) return null;
        return services =>
        {
            services.AddInProcessHttpLink(host.Server);
            if (host.Mqtt.Mode == MqttTransportMode.Embedded) services.AddInProcessMqttLink();
        };
    }

    /// <summary>With sleeping devices, the orchestrator tells the run's network of every command it sends
    /// (paging).</summary>
    private Action<IServiceCollection>? WithPaging(Action<IServiceCollection>? configure)
    {
        if (_paging is not { } paging) return configure;
        return services =>
        {
            configure?.Invoke(services);
            services.AddSingleton<IDeviceCommandObserver>(new PagingCommandObserver(paging));
        };
    }

    private static async Task<IReadOnlyDictionary<string, DeviceSagaView?>> ViewsAsync(OrchestratorHost host, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var views = new ConcurrentDictionary<string, DeviceSagaView?>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            views[id] = await ViewOfAsync(host, id, AskTimeout, ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return views;
    }

    /// <summary>The device actor's own view, or null when it does not answer in time (a restart, or a stuck actor).</summary>
    private static async Task<DeviceSagaView?> ViewOfAsync(OrchestratorHost host, string deviceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try { return await host.DeviceRegion.Ask<DeviceSagaView>(new GetDeviceSaga(deviceId), timeout, cancellationToken).ConfigureAwait(false); }
        catch (AskTimeoutException) { return null; }
    }

    private IDisposable StartProgress(Stopwatch wall) => EveryProgressInterval(() =>
    {
        var done = _outcomes.Count;
        var seconds = wall.Elapsed.TotalSeconds;
        var megabytes = Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024);
        if (options.Live is { } live)
        {
            live.Report(new SimulationProgress(seconds, options.Devices, done,
                _outcomes.All.Values.GroupBy(o => o.Outcome.ToString()).ToDictionary(g => g.Key, g => g.Count()),
                _startedAt.Count - done, done / Math.Max(seconds, 0.001), megabytes, null, []));
            return;
        }
        var byOutcome = _outcomes.All.Values.GroupBy(o => o.Outcome).OrderBy(g => g.Key)
            .Select(g => $"{g.Key} {g.Count()}");
        options.Progress!.WriteLine(
            $"[{seconds,6:0.0}s] {done,6}/{options.Devices} done ({string.Join(", ", byOutcome)}) | " +
            $"in flight {_startedAt.Count - done} | " +
            $"{done / Math.Max(seconds, 0.001),6:0} dev/s | {megabytes} MB");
    });

    /// <summary>
    /// Progress while the fleet connects (minutes for 100,000 devices): how many devices the orchestrator has
    /// registered so far, at what rate, and the process's memory.
    /// </summary>
    private IDisposable StartConnectProgress(Stopwatch wall)
    {
        var since = wall.Elapsed.TotalSeconds;
        return EveryProgressInterval(() =>
        {
            var registered = _feed!.Registered;
            var seconds = wall.Elapsed.TotalSeconds;
            var rate = registered / Math.Max(seconds - since, 0.001);
            var megabytes = Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024);
            var status = $"connecting: {registered}/{options.Devices} registered";
            if (options.Live is { } live)
                live.Report(new SimulationProgress(seconds, options.Devices, 0, new Dictionary<string, int>(), 0,
                    rate, megabytes, status, []));
            else
                options.Progress!.WriteLine($"[{seconds,6:0.0}s] {status} | {rate,6:0} dev/s | {megabytes} MB");
        });
    }

    /// <summary>
    /// Runs <paramref name="tick"/> every <see cref="SimulationOptions.ProgressInterval"/> until disposed; nothing
    /// when the run has neither progress writer nor live display. The one loop behind every progress line.
    /// </summary>
    private IDisposable EveryProgressInterval(Action tick)
    {
        var stop = new CancellationTokenSource();
        if (options.Progress is null && options.Live is null) return new StopOnDispose(stop);
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(options.ProgressInterval);
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                tick();
        }, CancellationToken.None);
        return new StopOnDispose(stop);
    }

    /// <summary>Disposing a CancellationTokenSource does not cancel it; the progress loop needs the cancel.</summary>
    private sealed class StopOnDispose(CancellationTokenSource source) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            // Twice is fine: a phase ends it early, its using block again.
            if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
            source.Cancel();
            source.Dispose();
        }
    }

    private void Say(string line) => options.Progress?.WriteLine(line);
}
