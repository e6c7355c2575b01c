using FleetOrchestrator.Host.Orchestrator;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FleetOrchestrator.Simulation.Runs;
using FleetOrchestrator.Simulation.Runs.Html;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Populations;
using FleetOrchestrator.Orchestration.Rollouts.Policy;
using FleetOrchestrator.Cli.Output;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Commands.Client.Simulate;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet simulate --devices N [--seed S] [--faults LIST] [--broker URL] [--store URL] [--report FILE]
/// [--link PROFILE] [--device-link inprocess|tcp] [--speedup X | --no-delays] [--max-in-flight K] [--timeout SECONDS]
/// [--population FILE.json] [--rollout POLICY.json [--dry-run]]`; with `--server URL` the same run against a running
/// deployment, as its client (<see cref="RemoteOptions"/>, <see cref="RemoteSimulation"/>).
/// Exit 0 when every device finished and no invariant failed (with --rollout: every commanded device finished, the
/// devices it never commanded are untouched, and the rollout ended as its policy demands), 1 when an invariant failed
/// or devices were left unfinished, 2 on usage errors (a bad population or policy: every problem by JSON path).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var devices = new Option<int>("--devices", "--count")
        {
            Description = "Number of simulated devices", DefaultValueFactory = _ => 100,
        };
        var seed = new Option<long>("--seed") { Description = "Seed: same seed, same fleet, same faults", DefaultValueFactory = _ => 1 };
        var faults = new Option<string?>("--faults")
        {
            Description = "Faults as name=share pairs plus flags, e.g. crash-loop=0.05,corrupt-transfer=0.1,offline-during-swap=0.05,duplicate-messages=0.2,orchestrator-restart",
        };
        var broker = new Option<string?>("--broker") { Description = "embedded (default), mosquitto (start a local Mosquitto with every device provisioned) or mqtt://USER:PASSWORD@HOST:PORT for an external broker" };
        var store = new Option<string?>("--store") { Description = "sqlite:PATH (default: a fresh file in the run directory) or postgres://USER[:PASSWORD]@HOST:PORT/DATABASE" };
        var report = new Option<string?>("--report")
        {
            Description = "Write the JSON report to this file, and a self-contained HTML page beside it (r.html)",
        };
        var link = new Option<string>("--link") { Description = "Link profile: lte-m, nb-iot, poor-coverage or instant", DefaultValueFactory = _ => "lte-m" };
        var deviceLink = new Option<string>("--device-link")
        {
            Description = "How the simulated devices reach the orchestrator in this process: inprocess (in-memory pipes, same MQTT and HTTP bytes, no sockets) or tcp (loopback sockets, 2 file descriptors per device)",
            DefaultValueFactory = _ => DeviceLink.InProcess.Name(),
        };
        var speedup = new Option<double>("--speedup") { Description = "Simulated time runs X times faster than wall time", DefaultValueFactory = _ => 60 };
        var noDelays = new Option<bool>("--no-delays") { Description = "No simulated delays at all (link and flash timings off)" };
        var inFlight = new Option<int>("--max-in-flight") { Description = "Bound on devices whose saga runs at once", DefaultValueFactory = _ => 1000 };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds of updating", DefaultValueFactory = _ => 600 };
        var workDir = new Option<string>("--work-dir") { Description = "Where runs keep their database, artifacts and keys", DefaultValueFactory = _ => Path.Combine(".fleet", "simulate") };
        var population = new Option<string?>("--population")
        {
            Description = "JSON file of shares: starting versions, ROM bootloaders, silicon revisions, regions, cells, "
                          + "time zones (see config/populations/)",
        };
        var rollout = new Option<string?>("--rollout")
        {
            Description = "Update the fleet through this staged rollout policy (JSON, see config/rollouts/) "
                          + "instead of one update per device",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "With --rollout: write the plan (waves, exclusions, ETA) into the report, command nothing",
        };
        var keepWindow = new Option<bool>("--keep-window")
        {
            Description = "With --rollout: apply the policy's maintenance window on the wall clock (devices outside "
                          + "their local window wait for it); without it the window is left out of the run",
        };
        var sleepWhenIdle = new Option<double>("--sleep-when-idle")
        {
            Description = "Devices idle this many wall-clock seconds go to sleep (offline, disconnected; the broker "
                          + "queues their commands) and are paged when a command waits: 100,000 fit in memory. "
                          + "0 (default): every device stays connected",
        };
        var measureRecovery = new Option<bool>("--measure-recovery")
        {
            Description = "After the run, restart the orchestrator on the same database and time the recovery of "
                          + "every device's saga from the journal (the report's 'recovery'); a saga that does not "
                          + "answer, or answers differently than before, fails the run",
        };
        var command = new Command("simulate", "Update a simulated fleet of STM32L072 devices end to end over MQTT, with faults, and check the invariants")
        {
            devices, seed, faults, broker, store, report, link, deviceLink, speedup, noDelays, inFlight, timeout, workDir,
            population, rollout, dryRun, keepWindow, sleepWhenIdle, measureRecovery,
        };
        var remote = RemoteOptions.AddTo(command, devices);
        var inProcessOnly = new Option[] { broker, store, deviceLink, workDir, measureRecovery };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var stderr = parseResult.InvocationConfiguration.Error;
            var stdout = parseResult.InvocationConfiguration.Output;
            if (remote.Targeted(parseResult))
            {
                return await remote.RunAsync(parseResult, environment, inProcessOnly, new RemoteArguments(seed, faults,
                    population, link, speedup, noDelays, inFlight, timeout, rollout, dryRun, keepWindow, report),
                    cancellationToken).ConfigureAwait(false);
            }
            if (remote.Misplaced(parseResult) is { } misplaced)
            {
                await stderr.WriteLineAsync($"error: {misplaced} needs --server URL (a run against a server)")
                    .ConfigureAwait(false);
                return ExitCodes.UsageOrIoError;
            }
            SimulationOptions options;
            try
            {
                var n = parseResult.GetValue(devices);
                if (n < 1 || n > 200_000) throw new FormatException($"--devices must be from 1 to 200000, got {n}");
                var k = parseResult.GetValue(inFlight);
                if (k < 1) throw new FormatException($"--max-in-flight must be at least 1, got {k}");
                var x = parseResult.GetValue(speedup);
                if (!(x > 0)) throw new FormatException($"--speedup must be a positive number, got {x.ToString(CultureInfo.InvariantCulture)}");
                var idle = parseResult.GetValue(sleepWhenIdle);
                if (!(idle >= 0) || double.IsInfinity(idle))
                    throw new FormatException("--sleep-when-idle must be 0 or a positive number of seconds, got "
                                              + idle.ToString(CultureInfo.InvariantCulture));
                var brokerUrl = BrokerUrl.Parse(parseResult.GetValue(broker));
                if (brokerUrl is { UseTls: true })
                    throw new FormatException("fleet simulate reaches an external broker over plain MQTT only; "
                        + "for TLS run fleet serve --broker mqtts://… and attach devices with fleet simulate "
                        + "--server URL");
                options = new SimulationOptions
                {
                    Devices = n,
                    Seed = parseResult.GetValue(seed),
                    Faults = FaultPlan.Parse(parseResult.GetValue(faults)),
                    Broker = brokerUrl,
                    Store = StoreUrl.Parse(parseResult.GetValue(store)),
                    ReportPath = parseResult.GetValue(report),
                    Link = LinkProfile.Preset(parseResult.GetValue(link)!),
                    DeviceLink = DeviceLinkNames.Parse(parseResult.GetValue(deviceLink)!),
                    Speedup = parseResult.GetValue(noDelays) ? double.PositiveInfinity : x,
                    MaxInFlight = k,
                    Timeout = TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(timeout))),
                    WorkDirectory = parseResult.GetValue(workDir)!,
                    Progress = stderr,
                    Population = ReadPopulation(parseResult.GetValue(population)),
                    Rollout = ReadPolicy(parseResult.GetValue(rollout)),
                    DryRun = parseResult.GetValue(dryRun),
                    KeepWindow = parseResult.GetValue(keepWindow),
                    SleepWhenIdle = idle > 0 ? TimeSpan.FromSeconds(idle) : null,
                    MeasureRecovery = parseResult.GetValue(measureRecovery),
                };
                if (options.DryRun && options.Rollout is null) throw new FormatException("--dry-run needs --rollout");
            }
            catch (Exception e) when (e is FormatException or FaultPlanFormatException or ArgumentException
                                           or IOException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.UsageOrIoError;
            }

            // A run's keys and secrets are throwaway (they live in the run directory), so their first-start notices are noise here.
            using var logs = CliLogging.Create(b => b.AddFilter("FleetOrchestrator.Server.Secrets", LogLevel.Error));
            // On a terminal the progress is a live display; elsewhere (pipes, CI, tests) the plain lines stay.
            using var live = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected
                ? new SimulateLiveDisplay(FleetOrchestrator.Cli.Client.ClientOutput.Create(stderr, terminal: true))
                : null;
            if (live is not null) options = options with { Progress = live, Live = live };
            live?.Start();
            SimulationReport result;
            try
            {
                result = await new FleetRunner(options, logs).RunAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (live is not null) await live.StopAsync().ConfigureAwait(false);
            }
            return await WriteAsync(result, options.ReportPath, stdout, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>The JSON report and the HTML page beside it, the summary on stdout, and the exit code.</summary>
    internal static async Task<int> WriteAsync(SimulationReport result, string? reportPath, TextWriter stdout,
        CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(result, JsonOptions);
        if (reportPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, json, cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(SimulationHtmlReport.PathBeside(path), SimulationHtmlReport.Render(result),
                cancellationToken).ConfigureAwait(false);
        }
        await stdout.WriteLineAsync(Summary(result)).ConfigureAwait(false);
        return result.Passed ? ExitCodes.Success : ExitCodes.Invalid;
    }

    internal static Population? ReadPopulation(string? path)
    {
        if (path is null) return null;
        var result = PopulationReader.Read(File.ReadAllText(path));
        return result.Population ?? throw new FormatException(
            $"--population {path}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", result.Problems)}");
    }

    internal static RolloutPolicy? ReadPolicy(string? path)
    {
        if (path is null) return null;
        var result = RolloutPolicyReader.Read(File.ReadAllText(path));
        return result.Policy ?? throw new FormatException(
            $"--rollout {path}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", result.Problems)}");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string Summary(SimulationReport r) => string.Join(Environment.NewLine,
        $"devices            {r.Devices} (seed {r.Seed}, faults '{r.Faults}', broker {r.Broker}, store {r.Store}, device link {r.DeviceLink})",
        $"outcomes           {string.Join(", ", r.Outcomes.Select(o => $"{o.Key} {o.Value}"))}{(r.Unfinished > 0 ? $", unfinished {r.Unfinished}" : "")}",
        $"invariants         bricked {r.Invariants.Bricked}, accidental downgrades {r.Invariants.AccidentalDowngrades}, view mismatches {r.Invariants.ViewMismatches}, unexpected outcomes {r.Invariants.UnexpectedOutcomes}",
        $"wall               {r.WallSeconds:0.0} s of updates, {r.DevicesPerSecond:0.0} devices/s ({r.OnlineSeconds:0.0} s to bring the fleet online, {r.TotalSeconds:0.0} s start to last outcome)",
        $"persisted events   {r.EventsPersisted} ({r.EventsPersistedPerSecond:0} /s)",
        $"mqtt messages      {r.MqttMessages} ({r.MqttMessagesPerSecond:0} /s)",
        $"memory             peak {r.PeakMemoryBytes / (1024 * 1024)} MB, {r.MemoryPerDeviceBytes / 1024} KB per simulated device",
        r.Rollout is { } ro
            ? $"rollout            {ro.State}: {ro.Verdict}; waves " +
              string.Join(", ", ro.Waves.Select(w => $"{w.Name} {w.State} ({w.DeviceIds.Count})")) +
              $"; {ro.Excluded.Count} excluded; untouched-outside-halt violations {ro.NotStartedViolations}, " +
              $"not restored {ro.NotRestored}"
            : "rollout            none (one update per device)",
        r.Passed ? "result             PASS" : "result             FAIL");
}
