using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;

namespace FleetOrchestrator.Simulation.Devices;

/// <summary>The verdict on a download's signed manifest: the manifest, or the refusal reason (PROTOCOL.md §11).</summary>
public sealed record ManifestVerdict(FirmwareManifest? Manifest, string? Reason, string? Detail)
{
    public bool Accepted => Manifest is not null;
}

/// <summary>
/// The device's checks of PROTOCOL.md §8.2 step 2 / §10, in the normative order: signature with the trusted key the
/// envelope names, canonical content, key ids agree, hardware target, size against the bank, version (no downgrade
/// unless allowed), minimum bootloader. Verifies over the exact manifest bytes received; never re-serializes.
/// </summary>
public static class ManifestCheck
{
    public static ManifestVerdict Verify(
        SignedManifestDto envelope,
        IReadOnlyDictionary<string, ManifestVerificationKey> trustedKeys,
        string hardwareTarget,
        int bankBytes,
        SemanticVersion runningVersion,
        SemanticVersion agentVersion)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        if (!envelope.TryDecode(out var manifestBytes, out var signature))
            return Refuse(ErrorReasons.Manifest, "manifest or signature is not base64");
        if (!trustedKeys.TryGetValue(envelope.KeyId, out var key))
            return Refuse(ErrorReasons.Signature, $"key '{envelope.KeyId}' is not trusted by this device");
        if (signature.Length != ManifestVerificationKey.SignatureLength || !key.Verify(manifestBytes, signature))
            return Refuse(ErrorReasons.Signature, $"signature does not verify with key '{envelope.KeyId}'");
        FirmwareManifest manifest;
        try
        {
            manifest = ManifestJson.Parse(manifestBytes);
        }
        catch (ManifestFormatException e)
        {
            return Refuse(ErrorReasons.Manifest, e.Message);
        }
        if (manifest.KeyId != envelope.KeyId)
            return Refuse(ErrorReasons.Signature, $"manifest names key '{manifest.KeyId}', the envelope '{envelope.KeyId}'");
        if (!string.Equals(manifest.HardwareTarget, hardwareTarget, StringComparison.Ordinal))
            return Refuse(ErrorReasons.Hardware, $"manifest targets '{manifest.HardwareTarget}', this device is '{hardwareTarget}'");
        if (manifest.Size > bankBytes)
            return Refuse(ErrorReasons.TooLarge, $"image is {manifest.Size} bytes, the bank {bankBytes}");
        if (manifest.Version <= runningVersion && !manifest.DowngradeAllowed)
            return Refuse(ErrorReasons.Downgrade, $"manifest version {manifest.Version} is not newer than the running {runningVersion}");
        if (agentVersion < manifest.MinimumBootloader)
            return Refuse(ErrorReasons.Unsupported, $"update agent {agentVersion} is older than the required {manifest.MinimumBootloader}");
        return new ManifestVerdict(manifest, null, null);
    }

    private static ManifestVerdict Refuse(string reason, string detail) => new(null, reason, detail);
}
