using System.CommandLine;
using FleetOrchestrator.Firmware.Signing;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet firmware keygen --out DIR [--key-id ID]`: writes ID.private.pem and ID.public.pem (strict PEM), each with
/// its key id beside it in ID.private.keyid and ID.public.keyid.
/// </summary>
public static class FirmwareKeygenCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Directory to write the key pair into (created if missing)", Required = true };
        var keyId = new Option<string?>("--key-id") { Description = "Id devices use to pick the public key (default: the key's fingerprint)" };
        var command = new Command("keygen", "Generate an ECDSA P-256 manifest signing key pair");
        command.Options.Add(outDir);
        command.Options.Add(keyId);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            string dir = parse.GetValue(outDir)!;
            string? id = parse.GetValue(keyId);
            if (id is not null && (id.Length == 0 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
            {
                error.WriteLine($"--key-id '{id}' may only contain letters, digits, '-', '_' and '.' (it becomes part of the file names)");
                return ExitCodes.UsageOrIoError;
            }
            using var key = ManifestSigningKey.Generate(id);
            string privatePath = Path.Combine(dir, $"{key.KeyId}.private.pem");
            string publicPath = Path.Combine(dir, $"{key.KeyId}.public.pem");
            try
            {
                Directory.CreateDirectory(dir);
                if (File.Exists(privatePath))
                {
                    error.WriteLine($"'{privatePath}' already exists; refusing to overwrite a signing key");
                    return ExitCodes.UsageOrIoError;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                error.WriteLine($"cannot create '{dir}': {e.Message}");
                return ExitCodes.UsageOrIoError;
            }
            if (!CliKeyFiles.TryWrite(privatePath, key.ExportPrivateKeyPem(), key.KeyId, error)
                || !CliKeyFiles.TryWrite(publicPath, key.ExportPublicKeyPem(), key.KeyId, error))
            {
                return ExitCodes.UsageOrIoError;
            }
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            output.WriteLine($"key id   {key.KeyId}");
            output.WriteLine($"private  {privatePath}");
            output.WriteLine($"public   {publicPath}");
            output.WriteLine($"key ids  {KeyIdFile.PathFor(privatePath)}, {KeyIdFile.PathFor(publicPath)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
