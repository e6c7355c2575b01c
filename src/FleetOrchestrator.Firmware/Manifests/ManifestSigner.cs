using FleetOrchestrator.Firmware.Signing;

namespace FleetOrchestrator.Firmware.Manifests;

/// <summary>Signs the canonical JSON of a manifest, stamping the signing key's id into it first.</summary>
public static class ManifestSigner
{
    public static SignedManifest Sign(FirmwareManifest manifest, ManifestSigningKey key)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(key);
        var canonical = ManifestJson.ToCanonicalJson(manifest with { KeyId = key.KeyId });
        return new SignedManifest(canonical, key.Sign(canonical), key.KeyId);
    }
}
