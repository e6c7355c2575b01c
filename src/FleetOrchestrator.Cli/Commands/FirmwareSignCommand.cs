using System.CommandLine;
using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet firmware sign FILE --key PRIVATE.pem --version X.Y.Z [...] [--out manifest.json]`: validates the image
/// and writes the signed manifest. Exit 1 when the image is not a valid bank image (nothing is signed).
/// </summary>
public static class FirmwareSignCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Image file (.hex or .bin)" };
        var key = new Option<string>("--key")
        {
            Description = "Private key PEM from `fleet firmware keygen` (its id from the .keyid file beside it)",
            Required = true,
        };
        var version = FirmwareOptions.Version("--version", "Firmware version major.minor.patch");
        var target = new Option<string>("--target") { Description = "Hardware target", DefaultValueFactory = _ => FirmwareManifest.DefaultHardwareTarget };
        var minBootloader = FirmwareOptions.Version("--min-bootloader", "Oldest bootloader that can run this image", new SemanticVersion(1, 0, 0));
        var allowDowngrade = new Option<bool>("--allow-downgrade") { Description = "Let devices on a newer version install this one" };
        var outFile = new Option<string?>("--out") { Description = "Where to write the signed manifest (default: FILE.manifest.json)" };
        var command = new Command("sign", "Validate an image and write its signed manifest");
        command.Arguments.Add(file);
        foreach (var o in new Option[] { key, version, target, minBootloader, allowDowngrade, outFile }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string imagePath = parse.GetValue(file)!;
            string hardwareTarget = parse.GetValue(target)!;
            if (string.IsNullOrWhiteSpace(hardwareTarget) || hardwareTarget.Any(c => c is < '!' or > '~'))
            {
                error.WriteLine($"--target '{hardwareTarget}' must be a non-empty printable ASCII name such as {FirmwareManifest.DefaultHardwareTarget}");
                return ExitCodes.UsageOrIoError;
            }
            if (!CliFiles.TryReadBytes(imagePath, error, out var content)) return ExitCodes.UsageOrIoError;
            if (!CliKeyFiles.TryRead(parse.GetValue(key)!, error, out var pem, out var keyIdText))
                return ExitCodes.UsageOrIoError;

            ManifestSigningKey signingKey;
            try
            {
                signingKey = ManifestSigningKey.FromPem(pem, CliKeyFiles.KeyId(keyIdText));
            }
            catch (SigningKeyException e)
            {
                error.WriteLine($"cannot use key '{parse.GetValue(key)}': {e.Message}");
                return ExitCodes.UsageOrIoError;
            }
            using (signingKey)
            {
                var result = ImageFileReader.Read(imagePath, content);
                if (result.Image is not { } image)
                {
                    error.WriteLine($"{imagePath} is not a valid L072 bank image; nothing signed:");
                    foreach (var e in result.Errors) error.WriteLine($"  {e}");
                    return ExitCodes.Invalid;
                }
                var manifest = FirmwareManifest.Describe(image, parse.GetValue(version), hardwareTarget, parse.GetValue(minBootloader), parse.GetValue(allowDowngrade));
                var signed = ManifestSigner.Sign(manifest, signingKey);
                string outPath = parse.GetValue(outFile) ?? imagePath + ".manifest.json";
                if (!CliFiles.TryWriteText(outPath, SignedManifestFile.ToJson(signed), error)) return ExitCodes.UsageOrIoError;
                output.WriteLine($"signed {imagePath} as {manifest.Version} for {manifest.HardwareTarget} with key '{signed.KeyId}' -> {outPath}");
                return ExitCodes.Success;
            }
        });
        return command;
    }
}
