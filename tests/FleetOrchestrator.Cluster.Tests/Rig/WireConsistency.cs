using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Cluster.Tests.Rig;

/// <summary>
/// What "no device is commanded inconsistently" means, checked over every message the broker carried:
/// <list type="bullet">
/// <item>a swap is authorized at most once per staging: each new <c>authorizeSwap</c> id needs a <c>staged</c> answer
/// (by its download command's id) that no earlier swap id used; the same id sent again is a re-send (PROTOCOL.md
/// §7.1) and allowed;</item>
/// <item>no commit for an unconfirmed boot: each new <c>commit</c> id for version V needs a <c>booted</c> V on trial
/// and, after it, a healthy verdict (the <c>health</c> event or a state report with <c>health: passed</c>).</item>
/// </list>
/// A broker delivers one subscriber's QoS 1 messages in the order it received them, and a command is sent only after
/// the answer it reacts to reached the broker, so the observer sees each cause before its effect.
/// </summary>
public static class WireConsistency
{
    public static IReadOnlyList<string> Violations(IEnumerable<WireMessage> messages)
    {
        var problems = new List<string>();
        var devices = new Dictionary<string, DeviceLedger>();
        foreach (var m in messages)
        {
            if (!devices.TryGetValue(m.DeviceId, out var ledger)) devices[m.DeviceId] = ledger = new DeviceLedger();
            if (ledger.See(m) is { } problem) problems.Add($"{m.DeviceId}: {problem}");
        }
        return problems;
    }

    private sealed class DeviceLedger
    {
        private readonly HashSet<string> _swapIds = [];
        private readonly HashSet<string> _commitIds = [];
        private readonly HashSet<string> _usedStagings = [];
        private string? _openStaging; // the download id of the latest staged answer no swap has used
        private SemanticVersion? _trialBooted;
        private bool _trialHealthy;

        public string? See(WireMessage m)
        {
            switch (m.Event)
            {
                case ImageStaged { CommandId: { } download } when !_usedStagings.Contains(download):
                    _openStaging = download;
                    break;
                case DeviceBooted booted:
                    _trialBooted = booted.ImageState == ImageState.Trial ? booted.Version : null;
                    _trialHealthy = false;
                    break;
                case HealthReported { Healthy: true }:
                    _trialHealthy = _trialBooted is not null;
                    break;
                case StateReported reported:
                    NoteHealth(reported.State);
                    break;
            }
            if (m.State is { } state) NoteHealth(state);
            return m.Command switch
            {
                AuthorizeSwap swap when _swapIds.Add(swap.Id) => UseStaging(swap),
                CommitImage commit when _commitIds.Add(commit.Id) => CheckCommit(commit),
                _ => null,
            };
        }

        private void NoteHealth(DeviceStateReport state)
        {
            if (state.ImageState == ImageState.Trial && state.Health == TrialHealth.Passed
                                                     && state.RunningVersion == _trialBooted)
                _trialHealthy = true;
        }

        private string? UseStaging(AuthorizeSwap swap)
        {
            if (_openStaging is null)
                return $"authorizeSwap {swap.Id} ({swap.Version}) with no unused staging: a second swap for one " +
                       "staging, or a swap before any";
            _usedStagings.Add(_openStaging);
            _openStaging = null;
            return null;
        }

        private string? CheckCommit(CommitImage commit)
        {
            if (_trialBooted != commit.Version)
                return $"commit {commit.Id} ({commit.Version}) without a trial boot of that version";
            return _trialHealthy ? null : $"commit {commit.Id} ({commit.Version}) before a healthy verdict";
        }
    }
}
