using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Validation;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>
/// The upload pipeline: read and validate the file with the Firmware rules, describe it in a manifest, sign the
/// manifest with the server's key, store the lot. Re-uploading the same image with the same fields is a no-op. The
/// manifest fields are held to the protocol's own rules (Protocol's <see cref="WireIdentifiers"/> and
/// <see cref="MessageRules"/>), so nothing is signed that a device would have to refuse.
/// </summary>
public sealed class ArtifactUploader(ArtifactStore store, ManifestSigningKey signingKey, TimeProvider time)
{
    public ArtifactStore Store => store;

    public UploadOutcome Upload(ArtifactUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (WireIdentifiers.DescribeHardwareTargetProblem(upload.HardwareTarget) is { } targetProblem)
            return new UploadOutcome.Rejected([$"target '{Shorten(upload.HardwareTarget)}' {targetProblem}"]);
        var result = ImageFileReader.Read(upload.FileName, upload.Content);
        // No load address means nothing could be read as addressed data: a format error, not an image problem.
        if (result.LoadAddress is null)
            return new UploadOutcome.Unreadable(result.Format, result.Errors);
        if (!result.IsValid)
            return new UploadOutcome.Invalid(result.Format, result.Errors);

        var image = result.Image!;
        var manifest = FirmwareManifest.Describe(image, upload.Version, upload.HardwareTarget, upload.MinimumBootloader, upload.DowngradeAllowed);
        var id = ArtifactIds.Of(manifest.ImageSha256, upload.HardwareTarget);

        // Checked before signing so an idempotent re-upload neither signs again nor changes what devices were told.
        if (store.Get(id) is { } existing)
        {
            return Differences(existing.Metadata, upload) is { } reason
                ? new UploadOutcome.Conflict(existing, reason)
                : new UploadOutcome.Stored(existing, Created: false);
        }

        var signed = ManifestSigner.Sign(manifest, signingKey);
        if (MessageRules.Manifest(new SignedManifestDto(signed.ManifestBase64, signed.SignatureBase64, signed.KeyId),
            "manifest") is { } wire)
            return new UploadOutcome.Rejected([$"the signed manifest would break the protocol: {wire.Message}"]);
        var metadata = new ArtifactMetadata(
            id, upload.Version, image.Size, manifest.Crc32, upload.HardwareTarget, upload.MinimumBootloader, upload.DowngradeAllowed,
            Path.GetFileName(upload.FileName), image.Format, time.GetUtcNow(), signed.KeyId);
        var saved = store.Save(metadata, image.Bytes, signed);
        if (!saved.Created && Differences(saved.Artifact.Metadata, upload) is { } raced)
            return new UploadOutcome.Conflict(saved.Artifact, raced);
        return new UploadOutcome.Stored(saved.Artifact, saved.Created);
    }

    // Rejected input is echoed in an error, never at full length.
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string? Differences(ArtifactMetadata existing, ArtifactUpload upload)
    {
        var diffs = new List<string>();
        if (existing.Version != upload.Version) diffs.Add($"version {existing.Version} (upload says {upload.Version})");
        if (!string.Equals(existing.HardwareTarget, upload.HardwareTarget, StringComparison.Ordinal))
            diffs.Add($"target '{existing.HardwareTarget}' (upload says '{upload.HardwareTarget}')");
        if (existing.MinimumBootloader != upload.MinimumBootloader)
            diffs.Add($"minimum bootloader {existing.MinimumBootloader} (upload says {upload.MinimumBootloader})");
        if (existing.DowngradeAllowed != upload.DowngradeAllowed)
            diffs.Add($"downgrade allowed {existing.DowngradeAllowed.ToString().ToLowerInvariant()} (upload says {upload.DowngradeAllowed.ToString().ToLowerInvariant()})");
        return diffs.Count == 0
            ? null
            : $"these exact image bytes are already artifact {existing.Id} with {string.Join(", ", diffs)}; " +
              "an artifact's manifest never changes, so a different manifest needs a different image (e.g. rebuild with the new version)";
    }
}
