using System.Collections.Frozen;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Rollouts;
using FleetOrchestrator.Orchestration.Rollouts.Events;
using FleetOrchestrator.Orchestration.Rollouts.Messages;

namespace FleetOrchestrator.Orchestration.Serialization;

/// <summary>
/// The short, stable manifest of every type the fleet serializer writes. Manifests are stored in the journal next to
/// every event: never change or reuse one; a new meaning gets a new type and a new manifest. Device types have
/// bare manifests, rollout events "ro-", rollout messages "mr-".
/// </summary>
public static class FleetManifests
{
    private static readonly (string Manifest, Type Type)[] Table =
    [
        // persisted events: device observations
        ("dso", typeof(DeviceStateObserved)),
        ("dpo", typeof(DevicePresenceObserved)),
        ("dbo", typeof(DeviceBootObserved)),
        // persisted events: update saga
        ("ur", typeof(UpdateRequested)),
        ("pp", typeof(PreflightPassed)),
        ("dr", typeof(DeviceRefused)),
        ("utd", typeof(AlreadyUpToDate)),
        ("dc", typeof(DownloadCommanded)),
        ("da", typeof(DownloadAccepted)),
        ("daf", typeof(DownloadAttemptFailed)),
        ("scv", typeof(StagedCrcVerified)),
        ("crc", typeof(CrcMismatchDetected)),
        ("sa", typeof(SwapAuthorized)),
        ("sak", typeof(SwapAcknowledged)),
        ("bc", typeof(BootConfirmed)),
        ("cc", typeof(CommitCommanded)),
        ("us", typeof(UpdateSucceeded)),
        ("rc", typeof(RollbackCommanded)),
        ("rbg", typeof(RollbackAwaitingBootGuard)),
        ("rp", typeof(RollbackPendingDeclared)),
        ("rbc", typeof(RollbackCompleted)),
        ("srd", typeof(SilentRevertDetected)),
        ("sf", typeof(SagaFailed)),
        ("dl", typeof(DeviceLost)),
        ("uc", typeof(UpdateCancelled)),
        ("ltr", typeof(LeftoverTrialRollbackCommanded)),
        ("hp", typeof(HealthPassed)),
        ("hva", typeof(HealthVerdictAwaited)),
        ("swa", typeof(SwapWindowAwaited)),
        ("rac", typeof(RevertAfterCommitObserved)),
        ("ibv", typeof(InactiveBankImageVerified)),
        // snapshot
        ("ds", typeof(DeviceState)),
        // messages to and from device actors (cross nodes in a cluster)
        ("m-su", typeof(StartUpdate)),
        ("m-au", typeof(ActivateUpdate)),
        ("m-cu", typeof(CancelUpdate)),
        ("m-rr", typeof(SagaRequestReply)),
        ("m-gds", typeof(GetDeviceSaga)),
        ("m-dsv", typeof(DeviceSagaView)),
        ("m-der", typeof(DeviceEventReceived)),
        ("m-dsr", typeof(DeviceStateReceived)),
        ("m-dpr", typeof(DevicePresenceReceived)),
        ("m-so", typeof(SagaOutcome)),
        ("m-sna", typeof(SagaNeedsAttention)),
        // persisted events: rollouts
        ("ro-st", typeof(RolloutStarted)),
        ("ro-pa", typeof(RolloutPaused)),
        ("ro-re", typeof(RolloutResumed)),
        ("ro-ac", typeof(RolloutActivated)),
        ("ro-ca", typeof(RolloutCancelled)),
        ("ro-rbs", typeof(RollbackStarted)),
        ("ro-ws", typeof(WaveStarted)),
        ("ro-wss", typeof(WaveSoakStarted)),
        ("ro-waa", typeof(WaveAwaitingApproval)),
        ("ro-wp", typeof(WavePassed)),
        ("ro-h", typeof(RolloutHalted)),
        ("ro-co", typeof(RolloutCompleted)),
        ("ro-rb", typeof(RolloutRolledBack)),
        ("ro-dcm", typeof(DevicesCommanded)),
        ("ro-dac", typeof(DevicesActivated)),
        ("ro-dcn", typeof(DeviceConcluded)),
        ("ro-dsk", typeof(DeviceSkipped)),
        ("ro-drv", typeof(DeviceRevertObserved)),
        ("ro-djw", typeof(DevicesJoinedWave)),
        ("ro-drc", typeof(DeviceRollbacksCommanded)),
        // snapshot of a rollout
        ("ro-s", typeof(RolloutState)),
        // messages to and from rollout actors
        ("mr-st", typeof(StartRollout)),
        ("mr-pa", typeof(PauseRollout)),
        ("mr-re", typeof(ResumeRollout)),
        ("mr-ap", typeof(ApproveWave)),
        ("mr-ca", typeof(CancelRollout)),
        ("mr-rb", typeof(RollBackRollout)),
        ("mr-ac", typeof(ActivateRollout)),
        ("mr-dj", typeof(DevicesJoined)),
        ("mr-rep", typeof(RolloutCommandReply)),
        ("mr-sc", typeof(SagaConcluded)),
        ("mr-dr", typeof(DeviceReverted)),
        ("mr-get", typeof(GetRollout)),
        ("mr-why", typeof(WhyDevice)),
        ("mr-v", typeof(RolloutView)),
        ("mr-wv", typeof(WaveView)),
        ("mr-dx", typeof(DeviceExplanation)),
        ("mr-gd", typeof(GetRolloutDevices)),
        ("mr-dp", typeof(RolloutDevicesPage)),
    ];

    public static readonly FrozenDictionary<Type, string> ByType = Table.ToFrozenDictionary(t => t.Type, t => t.Manifest);
    public static readonly FrozenDictionary<string, Type> ByManifest = Table.ToFrozenDictionary(t => t.Manifest, t => t.Type);
}
