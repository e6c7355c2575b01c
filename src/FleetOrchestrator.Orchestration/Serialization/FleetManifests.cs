using System.Collections.Frozen;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Devices.Messages;

namespace FleetOrchestrator.Orchestration.Serialization;

/// <summary>
/// The short, stable manifest of every type the fleet serializer writes. Manifests are stored in the journal next to
/// every event: never change or reuse one; a new meaning gets a new type and a new manifest.
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
        ("rac", typeof(RevertAfterCommitObserved)),
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
    ];

    public static readonly FrozenDictionary<Type, string> ByType = Table.ToFrozenDictionary(t => t.Type, t => t.Manifest);
    public static readonly FrozenDictionary<string, Type> ByManifest = Table.ToFrozenDictionary(t => t.Manifest, t => t.Type);
}
