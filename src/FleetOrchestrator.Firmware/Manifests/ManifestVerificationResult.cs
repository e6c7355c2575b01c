namespace FleetOrchestrator.Firmware.Manifests;

/// <summary>Outcome of verifying a signed manifest: the manifest when it is authentic, otherwise why not.</summary>
public sealed record ManifestVerificationResult(FirmwareManifest? Manifest, string? FailureReason)
{
    public bool IsValid => Manifest is not null && FailureReason is null;

    public static ManifestVerificationResult Valid(FirmwareManifest manifest) => new(manifest, null);

    public static ManifestVerificationResult Invalid(string reason) => new(null, reason);
}
