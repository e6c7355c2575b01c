using System.Text.Json;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Orchestration.Rollouts.Policy;

/// <summary>
/// Reads and validates a rollout policy document. Returns the policy, or every problem found, each named by its JSON
/// path; never throws on bad input. Field names and defaults are those of docs/rollouts.md and config/rollouts/.
/// </summary>
public static class RolloutPolicyReader
{
    /// <summary>Larger documents are refused before parsing (100,000 explicit device ids fit in about 3 MB).</summary>
    public const int MaxDocumentBytes = 4 * 1024 * 1024;
    public const int MaxWaves = 100;
    public const int MaxExplicitDevices = 100_000;

    private static readonly Dictionary<string, ApprovalMode> Approvals = new(StringComparer.Ordinal)
    {
        ["auto"] = ApprovalMode.Auto, ["manual"] = ApprovalMode.Manual,
    };

    private static readonly Dictionary<string, HaltAction> HaltActions = new(StringComparer.Ordinal)
    {
        ["pause"] = HaltAction.Pause,
        ["rollbackWave"] = HaltAction.RollbackWave,
        ["rollbackAll"] = HaltAction.RollbackAll,
    };

    private static readonly Dictionary<string, UpdateOutcome> Failures = new(StringComparer.Ordinal)
    {
        ["RolledBack"] = UpdateOutcome.RolledBack, ["Failed"] = UpdateOutcome.Failed,
        ["Lost"] = UpdateOutcome.Lost, ["Cancelled"] = UpdateOutcome.Cancelled,
    };

    public static RolloutPolicyResult Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxDocumentBytes)
            return Failed(new PolicyProblem("$", $"the document is larger than {MaxDocumentBytes / (1024 * 1024)} MB"));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line
                ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}"
                : "";
            return Failed(new PolicyProblem("$", $"not valid JSON{where}: {FirstSentence(e.Message)}"));
        }
        using (document)
        {
            var problems = new List<PolicyProblem>();
            var policy = ReadPolicy(document.RootElement, problems);
            return problems.Count == 0 && policy is not null
                ? new RolloutPolicyResult(policy, [])
                : new RolloutPolicyResult(null, problems);
        }
    }

    private static RolloutPolicy? ReadPolicy(JsonElement root, List<PolicyProblem> problems)
    {
        if (PolicyObject.From(root, "$", problems) is not { } doc) return null;
        var name = doc.String("name", required: true, maxLength: 200);
        var target = ReadTarget(doc, problems);
        var gate = doc.Object("gate") is { } g ? ReadGate(g, GatePolicy.Default) : GatePolicy.Default;
        var waves = ReadWaves(doc, gate, problems);
        var ramp = doc.Object("ramp") is { } r ? ReadRamp(r) : null;
        var wavesGiven = doc.Value("waves") is not null;
        var rampGiven = doc.Value("ramp") is not null;
        if (wavesGiven && rampGiven && waves is { Count: > 0 } && ramp is not null)
            doc.Problem("ramp", "give either waves or a ramp, not both");
        if ((waves is null || waves.Count == 0) && ramp is null && !wavesGiven && !rampGiven)
            doc.Problem("waves", "is required (or give a ramp): a rollout needs at least one wave");
        var limits = doc.Object("limits") is { } l ? ReadLimits(l) : RolloutLimits.Default;
        var onHalt = doc.Choice("onHalt", HaltActions) ?? HaltAction.Pause;
        var window = doc.Object("window") is { } w ? ReadWindow(w) : null;
        var downloadOnly = doc.Bool("downloadOnly") ?? false;
        doc.RejectUnknown();
        return name is null || target is null || gate is null || limits is null
            ? null
            : new RolloutPolicy(name, target, waves ?? [], ramp, gate, limits, onHalt, window, downloadOnly);
    }

    private static RolloutTarget? ReadTarget(PolicyObject doc, List<PolicyProblem> problems)
    {
        if (doc.Value("target") is null)
        {
            doc.Problem("target", "is required: name the devices (an empty object {} means the whole fleet)");
            return null;
        }
        if (doc.Object("target") is not { } target) return null;
        var versions = target.Strings("versions", 100, 20) ?? [];
        for (var i = 0; i < versions.Count; i++)
        {
            if (!SemanticVersion.TryParse(versions[i], out _))
                problems.Add(new PolicyProblem($"{target.PathOf("versions")}[{i}]",
                    $"\"{versions[i]}\" is not a version MAJOR.MINOR.PATCH"));
        }
        var tags = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (target.Object("tags") is { } tagObject)
        {
            foreach (var key in TagKeys(target))
                tags[key] = tagObject.Strings(key, 1000, 100) ?? [];
            tagObject.RejectUnknown();
        }
        var deviceIds = target.Strings("deviceIds", MaxExplicitDevices, WireIdentifiers.MaxDeviceIdLength) ?? [];
        for (var i = 0; i < deviceIds.Count; i++)
        {
            if (WireIdentifiers.DescribeDeviceIdProblem(deviceIds[i]) is { } problem)
                problems.Add(new PolicyProblem($"{target.PathOf("deviceIds")}[{i}]", problem));
        }
        var hardware = target.Strings("hardwareTargets", 100, 64) ?? [];
        var roms = target.Strings("romBootloaders", 100, 16) ?? [];
        target.RejectUnknown();
        return new RolloutTarget(versions, tags, deviceIds, hardware, roms);
    }

    /// <summary>The tag names under target.tags (read through the raw element so each is validated by path).</summary>
    private static IEnumerable<string> TagKeys(PolicyObject target) =>
        target.Value("tags") is { ValueKind: JsonValueKind.Object } tags
            ? tags.EnumerateObject().Select(p => p.Name).Distinct()
            : [];

    private static List<WaveSpec>? ReadWaves(PolicyObject doc, GatePolicy? gate, List<PolicyProblem> problems)
    {
        if (doc.Array("waves", MaxWaves) is not { } items) return null;
        var waves = new List<WaveSpec>(items.Count);
        double lastPercent = 0;
        var sawPercent = false;
        for (var i = 0; i < items.Count; i++)
        {
            if (PolicyObject.From(items[i], $"{doc.PathOf("waves")}[{i}]", problems) is not { } wave) continue;
            var name = wave.String("name", required: false, maxLength: 100)
                ?? (i == 0 && wave.Value("devices") is not null ? "canary" : $"wave {i + 1}");
            var devices = wave.Int("devices", 1, 1_000_000);
            var percent = wave.Number("percent", 0, 100, minExclusive: true);
            var hasDevices = wave.Value("devices") is not null;
            var hasPercent = wave.Value("percent") is not null;
            if (hasDevices == hasPercent)
                problems.Add(new PolicyProblem(wave.Path,
                    "give exactly one of devices (a count) or percent (the cumulative share)"));
            if (hasDevices && sawPercent)
                wave.Problem("devices", "a wave by count must come before the waves by percent");
            if (percent is { } p)
            {
                if (p <= lastPercent)
                    wave.Problem("percent",
                        $"must be above the previous wave's {lastPercent:0.###} (percent is the cumulative share)");
                lastPercent = Math.Max(lastPercent, p);
                sawPercent = true;
            }
            var waveGate = wave.Object("gate") is { } g && gate is not null ? ReadGate(g, gate) : null;
            wave.RejectUnknown();
            waves.Add(new WaveSpec(name, devices, percent, waveGate));
        }
        if (items.Count > 0 && lastPercent < 100)
            problems.Add(new PolicyProblem(doc.PathOf("waves"),
                "the last wave must reach percent 100 so that every targeted device is covered "
                + $"(it reaches {lastPercent:0.###})"));
        return waves;
    }

    private static RampSpec? ReadRamp(PolicyObject ramp)
    {
        var start = ramp.Number("start", 0, 100, minExclusive: true);
        var factor = ramp.Number("factor", 1, 100, minExclusive: true);
        if (ramp.Value("start") is null) ramp.Problem("start", "is required (the first wave's percent of the target)");
        if (ramp.Value("factor") is null)
            ramp.Problem("factor", "is required (how many times larger each next wave is)");
        ramp.RejectUnknown();
        return start is { } s && factor is { } f ? new RampSpec(s, f) : null;
    }

    private static GatePolicy? ReadGate(PolicyObject gate, GatePolicy defaults)
    {
        var minSample = gate.Int("minSample", 1, 1_000_000);
        var success = gate.Number("successAtLeast", 0, 1);
        var failures = gate.Number("failuresAtMost", 0, 1);
        var soak = gate.Duration("soak", TimeSpan.FromDays(30));
        var approval = gate.Choice("approval", Approvals);
        IReadOnlyList<UpdateOutcome>? countAsFailure = null;
        if (gate.Strings("countAsFailure", 10, 20) is { } names)
        {
            var outcomes = new List<UpdateOutcome>();
            for (var i = 0; i < names.Count; i++)
            {
                if (Failures.TryGetValue(names[i], out var o)) outcomes.Add(o);
                else gate.Problem($"countAsFailure[{i}]",
                    $"must be one of {string.Join(", ", Failures.Keys)} (Incompatible and UpToDate never count), "
                    + $"not \"{names[i]}\"");
            }
            countAsFailure = outcomes;
        }
        gate.RejectUnknown();
        return new GatePolicy(
            minSample ?? defaults.MinSample,
            success ?? defaults.SuccessAtLeast,
            failures ?? defaults.FailuresAtMost,
            soak ?? defaults.Soak,
            approval ?? defaults.Approval,
            countAsFailure ?? defaults.CountAsFailure);
    }

    private static RolloutLimits ReadLimits(PolicyObject limits)
    {
        var result = new RolloutLimits(
            limits.Int("maxInFlight", 1, 1_000_000) ?? RolloutLimits.Default.MaxInFlight,
            limits.Int("devicesPerMinute", 0, 10_000_000) ?? RolloutLimits.Default.DevicesPerMinute);
        limits.RejectUnknown();
        return result;
    }

    private static MaintenanceWindow? ReadWindow(PolicyObject window)
    {
        var start = window.TimeOfDay("localStart");
        var end = window.TimeOfDay("localEnd");
        if (window.Value("localStart") is null) window.Problem("localStart", "is required (\"HH:mm\", device-local)");
        if (window.Value("localEnd") is null) window.Problem("localEnd", "is required (\"HH:mm\", device-local)");
        if (start is not null && start == end)
            window.Problem("localEnd", "must differ from localStart (an empty window never opens)");
        window.RejectUnknown();
        return start is { } s && end is { } e && s != e ? new MaintenanceWindow(s, e) : null;
    }

    private static RolloutPolicyResult Failed(PolicyProblem problem) => new(null, [problem]);

    private static string FirstSentence(string message) => message.Split(". ", 2)[0].TrimEnd('.');
}
