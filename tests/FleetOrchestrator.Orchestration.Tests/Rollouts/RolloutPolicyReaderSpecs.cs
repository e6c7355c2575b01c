using System.Text;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Rollouts.Policy;

namespace FleetOrchestrator.Orchestration.Tests.Rollouts;

/// <summary>
/// The rollout policy document: every example in config/rollouts/ is valid and means what its name says; a bad
/// document gets every problem at once, each named by its JSON path; no input makes the reader throw.
/// </summary>
public sealed class RolloutPolicyReaderSpecs
{
    private static readonly string Examples = FindExamples();

    public static TheoryData<string> ExampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Examples, "*.json").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_in_config_rollouts_is_a_valid_policy(string file)
    {
        var result = RolloutPolicyReader.Read(File.ReadAllText(Path.Combine(Examples, file)));

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void The_issue_example_reads_as_written()
    {
        var policy = Read("eu-canary.json");

        Assert.Equal("app 1.1.0 to the EU fleet", policy.Name);
        Assert.Equal(["1.0.0"], policy.Target.Versions);
        Assert.Equal(["eu"], policy.Target.Tags["region"]);
        Assert.Equal(3, policy.Waves.Count);
        Assert.Equal(("canary", 10, (double?)null), (policy.Waves[0].Name, policy.Waves[0].Devices, policy.Waves[0].Percent));
        Assert.Equal([10.0, 100.0], policy.Waves.Skip(1).Select(w => w.Percent!.Value));
        Assert.Null(policy.Ramp);
        Assert.Equal(new GatePolicy(10, 0.95, 0.05, TimeSpan.FromMinutes(30), ApprovalMode.Auto, GatePolicy.DefaultFailures)
            with { CountAsFailure = policy.Gate.CountAsFailure }, policy.Gate);
        Assert.Equal(GatePolicy.DefaultFailures, policy.Gate.CountAsFailure);
        Assert.Equal(new RolloutLimits(200, 0), policy.Limits);
        Assert.Equal(HaltAction.Pause, policy.OnHalt);
        Assert.Equal(new MaintenanceWindow(new TimeOnly(2, 0), new TimeOnly(5, 0)), policy.Window);
        Assert.False(policy.DownloadOnly);
    }

    [Fact]
    public void Defaults_fill_what_a_policy_leaves_out_and_a_wave_gate_overrides_only_what_it_names()
    {
        var policy = Read("stage-now-activate-later.json");

        Assert.Equal(ApprovalMode.Manual, policy.Gate.Approval);
        Assert.Equal(TimeSpan.FromHours(12), policy.Gate.Soak);
        Assert.Equal(GatePolicy.Default.MinSample, policy.Gate.MinSample);
        var canary = policy.Waves[0].Gate!;
        Assert.Equal((5, 1.0, 0.0), (canary.MinSample, canary.SuccessAtLeast, canary.FailuresAtMost));
        Assert.Equal(ApprovalMode.Manual, canary.Approval);
        Assert.Equal(TimeSpan.FromHours(12), canary.Soak);
        Assert.Equal("wave 2", policy.Waves[1].Name);
        Assert.Equal(RolloutLimits.Default, policy.Limits);
        Assert.True(policy.DownloadOnly);
        Assert.Equal(HaltAction.RollbackWave, policy.OnHalt);
        Assert.Equal(new RampSpec(1, 4), Read("ramp-rollback-all.json").Ramp);
    }

    [Fact]
    public void Every_problem_of_a_bad_policy_is_named_by_its_json_path()
    {
        const string json = """
            {
              "name": "",
              "target": { "versions": ["1.0", 7], "deviceIds": ["ok-1", "bad id"], "tags": { "cell": "c-1" } },
              "waves": [ { "devices": 0 }, { "percent": 50, "devices": 3 }, { "percent": 40 }, { "percent": 200 } ],
              "ramp": { "start": 10 },
              "gate": { "successAtLeast": 1.5, "soak": "half an hour", "approval": "maybe", "countAsFailure": ["UpToDate"] },
              "limits": { "maxInFlight": 0 },
              "onHalt": "explode",
              "window": { "localStart": "25:00", "localEnd": "05:00" },
              "downloadOnly": "yes",
              "wavez": []
            }
            """;

        var result = RolloutPolicyReader.Read(json);

        Assert.False(result.IsValid);
        var paths = result.Problems.Select(p => p.Path).ToHashSet();
        string[] expected =
        [
            "$.name", "$.target.versions[0]", "$.target.versions[1]", "$.target.deviceIds[1]", "$.target.tags.cell",
            "$.waves[0].devices", "$.waves[1]", "$.waves[2].percent", "$.waves[3].percent", "$.waves",
            "$.ramp.factor", "$.gate.successAtLeast", "$.gate.soak", "$.gate.approval", "$.gate.countAsFailure[0]",
            "$.limits.maxInFlight", "$.onHalt", "$.window.localStart", "$.downloadOnly", "$.wavez",
        ];
        foreach (var path in expected) Assert.Contains(path, paths);
        Assert.Contains(result.Problems, p => p.Path == "$.wavez" && p.Message.Contains("misspelt"));
        Assert.Contains(result.Problems, p => p.Path == "$.gate.soak" && p.Message.Contains("hh:mm:ss"));
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("[]", "$")]
    [InlineData("{\"name\": \"x\"", "$")]
    [InlineData("{\"name\": \"x\", \"waves\": [{\"percent\": 100}]}", "$.target")]
    [InlineData("{\"name\": \"x\", \"target\": {}}", "$.waves")]
    [InlineData("{\"name\": \"x\", \"target\": {}, \"waves\": [{\"devices\": 5}]}", "$.waves")]
    [InlineData("{\"name\": \"x\", \"target\": {}, \"ramp\": {\"start\": 5, \"factor\": 2}, \"waves\": [{\"percent\": 100}]}", "$.ramp")]
    [InlineData("{\"name\": \"x\", \"name\": \"y\", \"target\": {}, \"waves\": [{\"percent\": 100}]}", "$.name")]
    [InlineData("{\"name\": \"x\", \"target\": {}, \"waves\": [{\"percent\": 100}], \"window\": {\"localStart\": \"02:00\", \"localEnd\": \"02:00\"}}", "$.window.localEnd")]
    public void A_document_that_is_no_policy_is_refused_with_its_path(string json, string path)
    {
        var result = RolloutPolicyReader.Read(json);

        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Path == path);
    }

    [Fact]
    public void Invalid_json_names_the_line_and_column()
    {
        var result = RolloutPolicyReader.Read("{\n  \"name\": \"x\",\n  \"target\": {,\n}");

        var problem = Assert.Single(result.Problems);
        Assert.Equal("$", problem.Path);
        Assert.Contains("line 3", problem.Message);
    }

    [Fact]
    public void A_window_across_midnight_contains_the_late_evening_and_the_early_morning()
    {
        var night = new MaintenanceWindow(new TimeOnly(22, 0), new TimeOnly(4, 0));
        Assert.True(night.Contains(new TimeOnly(23, 30)));
        Assert.True(night.Contains(new TimeOnly(3, 59)));
        Assert.False(night.Contains(new TimeOnly(4, 0)));
        Assert.False(night.Contains(new TimeOnly(12, 0)));
        var day = new MaintenanceWindow(new TimeOnly(2, 0), new TimeOnly(5, 0));
        Assert.True(day.Contains(new TimeOnly(2, 0)));
        Assert.False(day.Contains(new TimeOnly(5, 0)));
    }

    /// <summary>Mutated examples (bytes dropped, swapped, duplicated): the reader answers, never throws.</summary>
    [Fact]
    public void Mutated_documents_never_make_the_reader_throw()
    {
        var random = new Random(20261205);
        var seeds = Directory.GetFiles(Examples, "*.json").Select(File.ReadAllText).ToArray();
        for (var i = 0; i < 3000; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            for (var m = random.Next(1, 6); m > 0 && text.Length > 1; m--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0: text.Remove(at, 1); break;
                    case 1: text.Insert(at, "{}[],:\"0-e.9 nultrfas"[random.Next(21)]); break;
                    case 2: text[at] = (char)random.Next(32, 127); break;
                    default: text.Insert(at, text.ToString(random.Next(text.Length), 1)); break;
                }
            }
            var result = RolloutPolicyReader.Read(text.ToString());
            Assert.True(result.IsValid ^ result.Problems.Count > 0, text.ToString());
            Assert.All(result.Problems, p => Assert.StartsWith("$", p.Path));
        }
    }

    private static RolloutPolicy Read(string file)
    {
        var result = RolloutPolicyReader.Read(File.ReadAllText(Path.Combine(Examples, file)));
        return result.Policy ?? throw new Xunit.Sdk.XunitException(string.Join("\n", result.Problems));
    }

    private static string FindExamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FleetOrchestrator.sln"))) return Path.Combine(dir.FullName, "config", "rollouts");
        }
        throw new InvalidOperationException("the repository root (FleetOrchestrator.sln) was not found above the test binaries");
    }
}
