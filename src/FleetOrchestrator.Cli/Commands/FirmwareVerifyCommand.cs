using System.CommandLine;
using System.Globalization;
using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet firmware verify MANIFEST --key PUBLIC.pem [--image FILE]`: exit 0 when the signature (and the image,
/// if given) check out, 1 when they do not, 2 when the files cannot be read.
/// </summary>
public static class FirmwareVerifyCommand
{
    public static Command Create()
    {
        var manifestFile = new Argument<string>("MANIFEST") { Description = "Signed manifest JSON from `fleet firmware sign`" };
        var key = new Option<string>("--key")
        {
            Description = "Public key PEM (its id from the .keyid file beside it, if any)", Required = true,
        };
        var image = new Option<string?>("--image") { Description = "Also check this image against the manifest's size, SHA-256 and CRC" };
        var command = new Command("verify", "Verify a signed manifest (and optionally the image it describes)");
        command.Arguments.Add(manifestFile);
        command.Options.Add(key);
        command.Options.Add(image);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string manifestPath = parse.GetValue(manifestFile)!;
            if (!CliFiles.TryReadText(manifestPath, error, out var manifestText)) return ExitCodes.UsageOrIoError;
            if (!CliKeyFiles.TryRead(parse.GetValue(key)!, error, out var pem, out var keyIdText))
                return ExitCodes.UsageOrIoError;

            ManifestVerificationKey publicKey;
            try
            {
                publicKey = ManifestVerificationKey.FromPem(pem, CliKeyFiles.KeyId(keyIdText));
            }
            catch (SigningKeyException e)
            {
                error.WriteLine($"cannot use key '{parse.GetValue(key)}': {e.Message}");
                return ExitCodes.UsageOrIoError;
            }
            using (publicKey)
            {
                SignedManifest signed;
                try
                {
                    signed = SignedManifestFile.FromJson(manifestText);
                }
                catch (ManifestFormatException e)
                {
                    error.WriteLine($"{manifestPath}: {e.Message}");
                    return ExitCodes.Invalid;
                }
                var verification = ManifestVerifier.Verify(signed, publicKey);
                if (verification.Manifest is not { } manifest)
                {
                    error.WriteLine($"{manifestPath}: NOT valid: {verification.FailureReason}");
                    return ExitCodes.Invalid;
                }
                output.WriteLine($"{manifestPath}: signature valid (key '{manifest.KeyId}')");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  version {manifest.Version}, target {manifest.HardwareTarget}, min bootloader {manifest.MinimumBootloader}, downgrade {(manifest.DowngradeAllowed ? "allowed" : "not allowed")}"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  size {manifest.Size}, crc32 {ManifestJson.FormatCrc(manifest.Crc32)}, sha256 {manifest.ImageSha256}"));

                if (parse.GetValue(image) is not { } imagePath) return ExitCodes.Success;
                if (!CliFiles.TryReadBytes(imagePath, error, out var content)) return ExitCodes.UsageOrIoError;
                var result = ImageFileReader.Read(imagePath, content);
                var problems = result.Bytes is { } bytes ? ManifestVerifier.CompareImage(manifest, bytes.Span) : result.Errors;
                if (problems.Count > 0)
                {
                    error.WriteLine($"{imagePath} does NOT match the manifest:");
                    foreach (var p in problems) error.WriteLine($"  {p}");
                    return ExitCodes.Invalid;
                }
                output.WriteLine($"{imagePath}: matches the manifest");
                return ExitCodes.Success;
            }
        });
        return command;
    }
}
