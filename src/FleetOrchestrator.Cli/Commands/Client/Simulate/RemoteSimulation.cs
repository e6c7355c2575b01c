using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Simulation.Attached;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Populations;
using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>
/// `fleet simulate --server URL`: the simulator as a client of a running deployment. Its devices are registered
/// through the operator API and connect to the broker the registration names (<see cref="AttachedFleet"/>); the
/// release 1.1.0 is uploaded as an artifact (the same bytes in every run, so several simulators share it); a rollout
/// over this simulator's own devices (the policy's target narrowed to their ids) updates them; progress and the
/// report come from the API (the rollout, its devices, the read model) and from the devices' own truth. Nothing of
/// the orchestrator runs here, so the server's capacity is measured apart from the simulator's.
/// </summary>
internal sealed class RemoteSimulation(FleetApiClient api, RemoteSimulationOptions options)
{
    public static readonly SemanticVersion TargetVersion = new(1, 1, 0);
    /// <summary>What a device runs first when its population names no starting version (the device model's
    /// default).</summary>
    private static readonly SemanticVersion InitialVersion = new(1, 0, 0);
    private const string OneWaveName = "fleet simulate: one update per device";
    private const int DevicePage = 10_000;
    private const int RolloutDevicePage = 1000;
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(30);

    public async Task<SimulationReport> RunAsync(CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        var ids = options.Ids.Ids();
        var faults = FaultAssignment.Assign(options.Faults, ids, options.Seed);
        var facts = PopulationAssignment.Assign(options.Population ?? Population.Uniform, ids, options.Seed);
        Say($"server {api.Connection.Server}; devices {options.Ids}; attaching");
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        await using var fleet = await AttachedFleet.StartAsync(new AttachedFleetOptions
        {
            Ids = options.Ids,
            Seed = options.Seed,
            Faults = options.Faults,
            CrashOnVersion = TargetVersion,
            Population = options.Population,
            Link = options.Link,
            Speedup = options.Speedup,
            PublicKey = options.PublicKey,
            Tls = options.Tls,
        }, (id, tags, token) => SimulatorRegistration.RegisterAsync(api, id, tags, token), ct).ConfigureAwait(false);
        var memoryPerDevice = Math.Max(0, (GC.GetTotalMemory(false) - memoryBefore) / ids.Count);
        await WaitUntilReportedAsync(ids, ct).ConfigureAwait(false);
        var onlineSeconds = wall.Elapsed.TotalSeconds;
        Say($"{ids.Count} devices online and known to the server in {onlineSeconds:0.0}s " +
            $"({memoryPerDevice / 1024} KB/device)");

        var artifactId = await UploadAsync(ct).ConfigureAwait(false);
        var submission = await api.SubmitRolloutAsync(Request(artifactId, ids), options.DryRun, ct)
            .ConfigureAwait(false);
        var rolloutId = Accepted(submission);
        var plan = JsonText.Member(submission, "plan");
        var policyName = options.Policy?["name"]?.GetValue<string>() ?? OneWaveName;
        var updatesBegan = DateTimeOffset.UtcNow;
        var updateWall = Stopwatch.StartNew();
        var truths = fleet.Devices.ToDictionary(d => d.DeviceId, d => d.Truth(), StringComparer.Ordinal);
        if (options.DryRun)
        {
            Say($"dry run of rollout {rolloutId}: nothing commanded");
            var planned = RemoteSimulationReports.Planned(rolloutId, policyName, plan);
            return RemoteSimulationReports.Build(Context(ids, faults, facts, truths,
                new Dictionary<string, RemoteDeviceEntry>(), new Dictionary<string, string?>(), 0, onlineSeconds,
                memoryPerDevice, fleet), planned);
        }
        Say($"rollout {rolloutId} started ({policyName}); updating to {TargetVersion}");

        var detail = await FollowAsync(rolloutId, ids.Count, updateWall, ct).ConfigureAwait(false);
        var updateSeconds = updateWall.Elapsed.TotalSeconds;
        await Task.WhenAll(fleet.Devices.Select(d => d.IdleAsync())).WaitAsync(SettleTimeout, ct)
            .ConfigureAwait(false);
        var entries = await RolloutDevicesAsync(rolloutId, ct).ConfigureAwait(false);
        truths = fleet.Devices.ToDictionary(d => d.DeviceId, d => d.Truth(), StringComparer.Ordinal);
        var views = await SettledViewsAsync(ids, truths, ct).ConfigureAwait(false);
        var context = Context(ids, faults, facts, truths, entries, views, updateSeconds, onlineSeconds,
            memoryPerDevice, fleet);
        var report = RemoteSimulationReports.Build(context,
            RemoteSimulationReports.Rollout(rolloutId, policyName, OnHalt(), detail, plan, entries, updatesBegan));
        report = ReportSeries.Add(report, entries.Values
            .Where(e => e.Outcome is not null && e.FinishedAt is not null)
            .Select(e => (e.FinishedAt!.Value, e.Outcome!)), updatesBegan);
        Say($"done in {wall.Elapsed.TotalSeconds:0.0}s wall ({updateSeconds:0.0}s of updates): " +
            $"{string.Join(", ", report.Outcomes.Select(o => $"{o.Key} {o.Value}"))}; rollout {report.Rollout?.State}");
        return report;
    }

    private RemoteSimulationContext Context(IReadOnlyList<string> ids,
        IReadOnlyDictionary<string, DeviceFaults> faults, IReadOnlyDictionary<string, DeviceFacts> facts,
        IReadOnlyDictionary<string, FleetOrchestrator.L072.Agent.AgentReport> truths,
        IReadOnlyDictionary<string, RemoteDeviceEntry> entries, IReadOnlyDictionary<string, string?> views,
        double updateSeconds, double onlineSeconds, long memoryPerDevice, AttachedFleet fleet) => new(
        api.Connection.Server.ToString(), options, ids, faults,
        id => facts[id].StartingVersion ?? InitialVersion, truths, entries,
        views, updateSeconds, onlineSeconds, memoryPerDevice,
        fleet.Devices.Sum(d => d.Counters.Published + d.Counters.CommandsReceived));

    /// <summary>The request: the policy (or one wave over every device) with its target narrowed to this simulator's
    /// devices, so simulators sharing a server each update their own range.</summary>
    private JsonElement Request(string artifactId, IReadOnlyList<string> ids)
    {
        var policy = options.Policy?.DeepClone().AsObject() ?? new JsonObject
        {
            ["name"] = OneWaveName,
            ["waves"] = new JsonArray(new JsonObject { ["percent"] = 100 }),
            ["gate"] = new JsonObject
            {
                ["minSample"] = 1, ["successAtLeast"] = 0.0, ["failuresAtMost"] = 1.0, ["soak"] = "00:00:00",
            },
            ["limits"] = new JsonObject { ["maxInFlight"] = options.MaxInFlight },
        };
        if (policy["target"] is not JsonObject target) policy["target"] = target = new JsonObject();
        target["deviceIds"] = new JsonArray([.. ids.Select(id => (JsonNode)JsonValue.Create(id))]);
        // As in-process: without --keep-window the policy's maintenance window is left out of the run.
        if (!options.KeepWindow) policy.Remove("window");
        return JsonSerializer.SerializeToElement(new JsonObject
        {
            ["artifactId"] = artifactId,
            ["seed"] = (int)(options.Seed & int.MaxValue),
            ["reason"] = $"fleet simulate {options.Ids}",
            ["policy"] = policy,
            ["updatePolicy"] = SagaTiming.For(options.Speedup),
        });
    }

    private string OnHalt() => options.Policy?["onHalt"]?.GetValue<string>() ?? "pause";

    private static string Accepted(JsonElement submission)
    {
        var problems = JsonText.Items(JsonText.Member(submission, "problems"))
            .Select(p => $"{JsonText.Of(p, "path")}: {JsonText.Of(p, "message")}").ToList();
        if (problems.Count > 0)
            throw new ClientUsageException($"the server refused the rollout:{Environment.NewLine}  " +
                                           string.Join(Environment.NewLine + "  ", problems));
        if (JsonText.Of(submission, "refused") is var refused && refused != "-")
            throw new ClientUsageException($"the server refused the rollout: {refused}");
        return JsonText.Of(submission, "rolloutId");
    }

    private async Task<string> UploadAsync(CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-simulate-app-{TargetVersion}-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(path, SyntheticImage.Create(TargetVersion), ct).ConfigureAwait(false);
        try
        {
            var answer = await api.UploadArtifactAsync(path, TargetVersion.ToString(), null, false, null, ct)
                .ConfigureAwait(false);
            return JsonText.Of(JsonText.Member(answer, "artifact"), "id");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Until the server's read model lists every device online with a version: a rollout targets devices by
    /// what they reported, so starting earlier would leave the late ones out as never seen.</summary>
    private async Task WaitUntilReportedAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var deadline = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(options.PollInterval);
        while (true)
        {
            var known = (await DeviceViewsAsync(ct).ConfigureAwait(false))
                .Count(v => v.Value.Online && v.Value.Version is not null && wanted.Contains(v.Key));
            if (known >= ids.Count) return;
            if (deadline.Elapsed > options.Timeout)
                throw new TimeoutException($"the server knows only {known} of {ids.Count} devices online after " +
                                           $"{options.Timeout}");
            Say($"server has {known}/{ids.Count} devices online");
            await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Polls the rollout until it ends (completed, halted, cancelled, rolled back) or the run times out.
    /// </summary>
    private async Task<JsonElement> FollowAsync(string rolloutId, int devices, Stopwatch wall, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.PollInterval);
        while (true)
        {
            var detail = await PatientlyAsync(() => api.GetRolloutAsync(rolloutId, ct), ct).ConfigureAwait(false);
            var status = JsonText.Of(detail, "status");
            Progress(detail, status, devices, wall.Elapsed.TotalSeconds);
            if (RolloutWatch.Outcome(status) is not null) return detail;
            if (wall.Elapsed > options.Timeout)
            {
                Say($"timeout after {options.Timeout}: rollout {rolloutId} is {status}");
                return detail;
            }
            await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
    }

    private void Progress(JsonElement detail, string status, int devices, double seconds)
    {
        var waves = JsonText.Items(JsonText.Member(detail, "waves")).Select(w =>
        {
            var outcomes = RemoteSimulationReports.Counts(JsonText.Member(w, "outcomes"));
            return new SimulationWaveProgress(JsonText.Of(w, "name"), JsonText.Of(w, "phase"),
                JsonText.Int(w, "devices"), RemoteSimulationReports.Finished(outcomes), outcomes,
                JsonText.Of(w, "gateState"));
        }).ToList();
        var all = waves.SelectMany(w => w.Outcomes)
            .Where(o => RemoteSimulationReports.IsConcluded(o.Key))
            .GroupBy(o => o.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(o => o.Value), StringComparer.Ordinal);
        var done = all.Values.Sum();
        var inFlight = JsonText.Int(detail, "inFlight");
        var rate = done / Math.Max(seconds, 0.001);
        var memory = Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024);
        if (options.Live is { } live)
        {
            live.Report(new SimulationProgress(seconds, devices, done, all, inFlight, rate, memory, status, waves));
            return;
        }
        Say($"[{seconds,6:0.0}s] {done,6}/{devices} done " +
            $"({string.Join(", ", all.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}) | in flight " +
            $"{inFlight} | {rate,6:0} dev/s | {memory} MB | rollout {status}: " +
            string.Join(", ", waves.Select(w => $"{w.Name} {w.Phase} {w.Finished}/{w.Devices}")));
    }

    private async Task<IReadOnlyDictionary<string, RemoteDeviceEntry>> RolloutDevicesAsync(string rolloutId,
        CancellationToken ct)
    {
        var entries = new Dictionary<string, RemoteDeviceEntry>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += RolloutDevicePage)
        {
            var page = await PatientlyAsync(() => api.ListRolloutDevicesAsync(rolloutId, offset, RolloutDevicePage, ct),
                ct).ConfigureAwait(false);
            var items = JsonText.Items(JsonText.Member(page, "devices")).ToList();
            foreach (var e in items)
            {
                var finished = JsonText.Member(e, "finishedAt");
                entries[JsonText.Of(e, "deviceId")] = new RemoteDeviceEntry(
                    JsonText.Int(e, "wave"), JsonText.Of(e, "step"), Text(e, "outcome"), Text(e, "reason"),
                    finished.ValueKind == JsonValueKind.String ? finished.GetDateTimeOffset() : null,
                    Text(e, "rollbackOutcome"));
            }
            if (items.Count < RolloutDevicePage) return entries;
        }
    }

    /// <summary>Each device's running version as the server's read model shows it, once it agrees with every device
    /// (it follows the journal, a moment behind) or <see cref="SettleTimeout"/> passed: what differs then is a
    /// mismatch.</summary>
    private async Task<IReadOnlyDictionary<string, string?>> SettledViewsAsync(IReadOnlyList<string> ids,
        IReadOnlyDictionary<string, FleetOrchestrator.L072.Agent.AgentReport> truths, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(options.PollInterval);
        while (true)
        {
            var views = await DeviceViewsAsync(ct).ConfigureAwait(false);
            var ours = ids.ToDictionary(id => id, id => views.TryGetValue(id, out var v) ? v.Version : null,
                StringComparer.Ordinal);
            if (ids.All(id => ours[id] == truths[id].RunningVersion?.ToString()) || deadline.Elapsed > SettleTimeout)
                return ours;
            await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task<Dictionary<string, (bool Online, string? Version)>> DeviceViewsAsync(CancellationToken ct)
    {
        var views = new Dictionary<string, (bool, string?)>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += DevicePage)
        {
            var query = new Dictionary<string, string?>
            {
                ["offset"] = offset.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["limit"] = DevicePage.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var page = await PatientlyAsync(() => api.ListDevicesAsync(query, ct), ct).ConfigureAwait(false);
            var items = JsonText.Items(JsonText.Member(page, "devices")).ToList();
            foreach (var d in items)
                views[JsonText.Of(d, "deviceId")] = (JsonText.Member(d, "online").ValueKind == JsonValueKind.True,
                    Text(d, "runningVersion"));
            if (items.Count < DevicePage) return views;
        }
    }

    /// <summary>
    /// A read the run repeats while the server answers 5xx or not at all (a loaded server's ask timeout, a node
    /// restarting behind the front), up to <see cref="MaxTransientFailures"/> in a row: the run reports what the
    /// server did, and a moment of overload is not what it did. Refusals (4xx) end the run at once.
    /// </summary>
    private async Task<JsonElement> PatientlyAsync(Func<Task<JsonElement>> read, CancellationToken ct)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (Exception e) when (failures < MaxTransientFailures
                                      && e is ServerUnreachableException
                                          or FleetApiException { Status: >= HttpStatusCode.InternalServerError })
            {
                Say($"the server did not answer ({e.Message}); asking again");
                await Task.Delay(options.PollInterval, ct).ConfigureAwait(false);
            }
        }
    }

    private const int MaxTransientFailures = 30;

    private static string? Text(JsonElement element, string name) =>
        JsonText.Member(element, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private void Say(string line) => options.Progress?.WriteLine(line);
}
