using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Server.Artifacts;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>The saga's view of a stored artifact, with the device's own granted download URL.</summary>
public static class UpdateTargets
{
    public static UpdateTarget For(StoredArtifact artifact, Uri downloadUrl)
    {
        var m = artifact.Metadata;
        return new UpdateTarget(m.Id, m.Version, artifact.ToManifestDto(), downloadUrl.ToString(), m.Size, m.Crc32,
            m.HardwareTarget, m.MinimumBootloader, m.DowngradeAllowed);
    }
}
