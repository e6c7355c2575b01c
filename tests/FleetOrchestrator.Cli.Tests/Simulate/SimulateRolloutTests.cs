using System.Text.Json;
using FleetOrchestrator.Cli.Tests.Firmware;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.Simulation.Populations;

namespace FleetOrchestrator.Cli.Tests.Simulate;

/// <summary>
/// `fleet simulate --rollout` end to end: a few hundred simulated devices with a mixed population, updated through the
/// rollout engine (planned on the read model, started through the rollout region, gates judged on the saga feed).
/// </summary>
public sealed class SimulateRolloutTests : IDisposable
{
    private const int Devices = 300;
    // mixed-eu-us.json starts 5 % of the fleet on 1.1.0: exactly 15 of 300, untargeted by policies for 1.0.0.
    private const int StartOnNewVersion = 15;
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-simulate-rollout-test-").FullName;

    [Fact]
    public async Task A_healthy_release_passes_every_wave_and_leaves_untargeted_and_refused_devices_untouched()
    {
        var root = await RunAsync("healthy.json", "eu-canary.json", "--seed", "5");

        var rollout = root.GetProperty("rollout");
        Assert.Equal("Completed", rollout.GetProperty("state").GetString());
        Assert.True(rollout.GetProperty("endedAsPolicySays").GetBoolean());
        Assert.All(rollout.GetProperty("waves").EnumerateArray(),
            w => Assert.Equal("Passed", w.GetProperty("state").GetString()));
        var commanded = rollout.GetProperty("waves").EnumerateArray()
            .SelectMany(w => w.GetProperty("deviceIds").EnumerateArray().Select(d => d.GetString()!)).ToHashSet();
        // The population's ROM 4.0 and rev A units are refused by preflight: excluded, never commanded.
        var excluded = rollout.GetProperty("excluded").EnumerateArray().ToList();
        Assert.NotEmpty(excluded);
        Assert.All(excluded, e => Assert.Equal("incompatible", e.GetProperty("reason").GetString()));
        foreach (var device in root.GetProperty("deviceResults").EnumerateArray())
        {
            var id = device.GetProperty("id").GetString()!;
            if (commanded.Contains(id))
            {
                Assert.Equal("Updated", device.GetProperty("outcome").GetString());
                Assert.Equal("1.1.0", device.GetProperty("version").GetString());
            }
            else
            {
                Assert.Equal("NotStarted", device.GetProperty("outcome").GetString());
            }
        }
        Assert.Equal(Devices - commanded.Count, root.GetProperty("outcomes").GetProperty("NotStarted").GetInt32());
        Assert.Equal(0, rollout.GetProperty("notStartedViolations").GetInt32());
        var versions = root.GetProperty("finalVersions");
        Assert.Equal(commanded.Count + StartOnNewVersion, versions.GetProperty("1.1.0").GetInt32());
        Assert.Equal(Devices - commanded.Count - StartOnNewVersion, versions.GetProperty("1.0.0").GetInt32());
    }

    [Fact]
    public async Task A_rollout_resumes_from_the_journal_when_the_orchestrator_is_restarted_mid_wave()
    {
        var (root, err) = await RunWithLogAsync("restart.json", "eu-canary.json", "--seed", "5",
            "--faults", "orchestrator-restart");

        Assert.Contains("orchestrator-restart: stopping the orchestrator in the middle of the rollout", err);
        Assert.Contains("orchestrator-restart: new orchestrator up", err);
        var rollout = root.GetProperty("rollout");
        Assert.Equal("Completed", rollout.GetProperty("state").GetString());
        Assert.All(rollout.GetProperty("waves").EnumerateArray(),
            w => Assert.Equal("Passed", w.GetProperty("state").GetString()));
        Assert.Equal(0, root.GetProperty("unfinished").GetInt32());
        Assert.Equal(0, rollout.GetProperty("notStartedViolations").GetInt32());
        Assert.Equal(0, root.GetProperty("invariants").GetProperty("unexpectedOutcomes").GetInt32());
    }

    [Fact]
    public async Task A_crash_looping_release_halts_at_the_canary_with_every_other_device_not_started()
    {
        var root = await RunAsync("crash.json", "eu-canary.json", "--seed", "5", "--faults", "crash-loop=1.0");

        var rollout = root.GetProperty("rollout");
        Assert.Equal("Halted", rollout.GetProperty("state").GetString());
        Assert.Contains("failure share", rollout.GetProperty("haltReason").GetString());
        var waves = rollout.GetProperty("waves").EnumerateArray().ToList();
        Assert.Equal("Halted", waves[0].GetProperty("state").GetString());
        Assert.Equal(10, waves[0].GetProperty("outcomes").GetProperty("RolledBack").GetInt32());
        Assert.All(waves.Skip(1), w => Assert.Equal("NotStarted", w.GetProperty("state").GetString()));
        Assert.Equal(0, rollout.GetProperty("notStartedViolations").GetInt32());
        var outcomes = root.GetProperty("outcomes");
        Assert.Equal(10, outcomes.GetProperty("RolledBack").GetInt32());
        Assert.Equal(Devices - 10, outcomes.GetProperty("NotStarted").GetInt32());
        Assert.Equal(Devices - StartOnNewVersion, root.GetProperty("finalVersions").GetProperty("1.0.0").GetInt32());
        Assert.Equal(StartOnNewVersion, root.GetProperty("finalVersions").GetProperty("1.1.0").GetInt32());
    }

    [Fact]
    public async Task A_dry_run_plans_exactly_the_waves_the_real_run_runs()
    {
        var dry = await RunAsync("dry.json", "eu-canary.json", "--seed", "11", "--dry-run");
        var real = await RunAsync("real.json", "eu-canary.json", "--seed", "11");

        Assert.Equal("Planned", dry.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal(Devices, dry.GetProperty("outcomes").GetProperty("NotStarted").GetInt32());
        Assert.Equal(Devices - StartOnNewVersion, dry.GetProperty("finalVersions").GetProperty("1.0.0").GetInt32());
        Assert.True(dry.GetProperty("rollout").GetProperty("etaSeconds").GetDouble() > 0);
        Assert.Equal(Waves(dry), Waves(real));
        Assert.Equal(Excluded(dry), Excluded(real));
    }

    [Fact]
    public async Task A_rollback_all_halt_returns_every_updated_device_to_its_old_version()
    {
        var root = await RunAsync("rollback.json", "simulate-rollback-all.json", "--seed", "3",
            "--faults", "crash-loop=0.2");

        var rollout = root.GetProperty("rollout");
        Assert.Equal("RolledBack", rollout.GetProperty("state").GetString());
        var waves = rollout.GetProperty("waves").EnumerateArray().ToList();
        // The tolerant canary passed and updated devices; the strict rest halted; both waves went back.
        Assert.True(waves[0].GetProperty("outcomes").GetProperty("Updated").GetInt32() > 0);
        Assert.All(waves, w => Assert.Equal("RolledBack", w.GetProperty("state").GetString()));
        Assert.Equal(0, rollout.GetProperty("notRestored").GetInt32());
        Assert.Equal(Devices - StartOnNewVersion, root.GetProperty("finalVersions").GetProperty("1.0.0").GetInt32());
        Assert.Equal(StartOnNewVersion, root.GetProperty("finalVersions").GetProperty("1.1.0").GetInt32());
        Assert.Equal(0, root.GetProperty("invariants").GetProperty("accidentalDowngrades").GetInt32());
    }

    [Fact]
    public async Task The_html_report_beside_the_json_shows_every_wave_and_invariant_and_fetches_nothing()
    {
        var root = await RunAsync("html.json", "simulate-rollback-all.json", "--seed", "3",
            "--faults", "crash-loop=0.2");
        var page = Path.Combine(_dir, "html.html");
        Assert.True(File.Exists(page), "no html.html beside html.json");
        var text = await File.ReadAllTextAsync(page);

        var document = HtmlPage.Parse(text);

        var shown = document.Root!.Value;
        foreach (var wave in root.GetProperty("rollout").GetProperty("waves").EnumerateArray())
        {
            Assert.Contains(wave.GetProperty("name").GetString()!, shown);
            Assert.NotEqual(JsonValueKind.Null, wave.GetProperty("startedAtSeconds").ValueKind);
        }
        foreach (var invariant in root.GetProperty("invariants").EnumerateObject().Select(p => p.Name)
                     .Concat(["unfinished", "notStartedViolations", "notRestored", "endedAsPolicySays"]))
            Assert.Contains(invariant, shown);
        Assert.Contains("gate halt at", shown);
        Assert.Contains("crash-loop", shown);
        Assert.NotEmpty(document.Descendants("polyline"));
        Assert.True(root.GetProperty("outcomesOverTime").GetArrayLength() > 1);
        Assert.Empty(HtmlPage.ExternalReferences(document));
    }

    [Fact]
    public async Task A_bad_population_is_a_usage_error_naming_every_problem_by_json_path()
    {
        var population = Path.Combine(_dir, "bad-population.json");
        await File.WriteAllTextAsync(population,
            """
            { "regions": { "eu": 0.7, "us": 0.4 }, "siliconRevisions": { "Q": 1 }, "romBootloaders": { "four": 1 },
              "startingVersions": { "v1": 1 }, "colour": {} }
            """);
        var work = Path.Combine(_dir, "work");

        var run = await CliRun.Of("simulate", "--population", population, "--work-dir", work);

        Assert.Equal(ExitCodes.UsageOrIoError, run.ExitCode);
        Assert.Contains("$.regions: shares add up to 1.1", run.Err);
        Assert.Contains("$.siliconRevisions['Q']: unknown silicon revision", run.Err);
        Assert.Contains("$.romBootloaders['four']: a ROM bootloader version is MAJOR.MINOR", run.Err);
        Assert.Contains("$.colour: unknown field", run.Err);
        Assert.Contains("$.startingVersions['v1']: a starting version is MAJOR.MINOR.PATCH", run.Err);
        Assert.False(Directory.Exists(work));
    }

    [Fact]
    public async Task A_bad_policy_is_a_usage_error_naming_its_problems_by_json_path()
    {
        var policy = Path.Combine(_dir, "bad-policy.json");
        await File.WriteAllTextAsync(policy,
            """{ "name": "x", "waves": [ { "percent": 100 } ], "gate": { "successAtLeast": 2 } }""");

        var run = await CliRun.Of("simulate", "--rollout", policy, "--work-dir", Path.Combine(_dir, "work"));

        Assert.Equal(ExitCodes.UsageOrIoError, run.ExitCode);
        Assert.Contains("$.gate.successAtLeast", run.Err);
    }

    [Theory]
    [MemberData(nameof(PopulationExamples))]
    public void Every_example_in_config_populations_is_a_valid_population(string file)
    {
        var result = PopulationReader.Read(File.ReadAllText(Path.Combine(ConfigDir("populations"), file)));

        Assert.True(result.IsValid, string.Join("; ", result.Problems));
    }

    [Fact]
    public void A_population_gives_each_value_its_exact_share_the_same_way_for_the_same_seed()
    {
        var file = Path.Combine(ConfigDir("populations"), "mixed-eu-us.json");
        var population = PopulationReader.Read(File.ReadAllText(file)).Population!;
        var ids = Enumerable.Range(1, 1000).Select(i => $"dev-{i:00000}").ToList();

        var facts = PopulationAssignment.Assign(population, ids, seed: 9);

        Assert.Equal(600, facts.Values.Count(f => f.Tags["region"] == "eu"));
        Assert.Equal(250, facts.Values.Count(f => f.Tags["cell"] == "cell-c"));
        Assert.Equal(30, facts.Values.Count(f => f.Revision == SiliconRevision.A));
        Assert.Equal(50, facts.Values.Count(f => f.RomBootloader == RomBootloaderVersion.V4_0));
        Assert.Equal(50, facts.Values.Count(f => f.StartingVersion?.ToString() == "1.1.0"));
        Assert.Equal(Flat(facts), Flat(PopulationAssignment.Assign(population, ids, seed: 9)));
        static IEnumerable<string> Eu(IReadOnlyDictionary<string, DeviceFacts> all) =>
            all.Where(f => f.Value.Tags["region"] == "eu").Select(f => f.Key);
        Assert.NotEqual(Eu(facts), Eu(PopulationAssignment.Assign(population, ids, seed: 10)));
    }

    private static List<string> Flat(IReadOnlyDictionary<string, DeviceFacts> facts) =>
        facts.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => $"{f.Key} {f.Value.StartingVersion} {f.Value.RomBootloader} {f.Value.Revision} "
                         + string.Join(",", f.Value.Tags)).ToList();

    public static TheoryData<string> PopulationExamples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(ConfigDir("populations"), "*.json").Order())
            data.Add(Path.GetFileName(file));
        return data;
    }

    private async Task<JsonElement> RunAsync(string reportName, string policy, params string[] extra) =>
        (await RunWithLogAsync(reportName, policy, extra)).Root;

    private async Task<(JsonElement Root, string Err)> RunWithLogAsync(string reportName, string policy,
        params string[] extra)
    {
        var report = Path.Combine(_dir, reportName);
        var run = await CliRun.Of([
            "simulate", "--devices", Devices.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-delays",
            "--timeout", "120", "--work-dir", Path.Combine(_dir, Path.GetFileNameWithoutExtension(reportName)),
            "--report", report,
            "--population", Path.Combine(ConfigDir("populations"), "mixed-eu-us.json"),
            "--rollout", Path.Combine(ConfigDir("rollouts"), policy), .. extra,
        ]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Out}\n{Tail(run.Err)}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        return (json.RootElement.Clone(), run.Err);
    }

    private static List<List<string>> Waves(JsonElement root) =>
        root.GetProperty("rollout").GetProperty("waves").EnumerateArray()
            .Select(w => w.GetProperty("deviceIds").EnumerateArray().Select(d => d.GetString()!).ToList()).ToList();

    private static List<string> Excluded(JsonElement root) =>
        root.GetProperty("rollout").GetProperty("excluded").EnumerateArray()
            .Select(e => e.GetProperty("id").GetString()!).ToList();

    private static string ConfigDir(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln")))
                return Path.Combine(dir.FullName, "config", name);
        }
        throw new DirectoryNotFoundException("no repository root (FleetOrchestrator.sln) above the test binaries");
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
