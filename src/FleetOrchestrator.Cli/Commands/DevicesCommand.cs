using System.CommandLine;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet devices add ID [--data-dir DIR] [--mosquitto-passwd FILE]`, `fleet devices revoke ID [--data-dir DIR]`,
/// `fleet devices list [--data-dir DIR]`: provisioning offline, on the same credential file `fleet serve` loads at
/// start. Add and revoke take the data directory's lock, so they are refused while `fleet serve` runs on it (it
/// would not see the change before its next start): then use POST /api/devices.
/// Exit 0 done, 1 the device already exists (add) or has no credentials (revoke), 2 bad arguments or an unusable file.
/// </summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "Provision device credentials (offline, in the data directory)");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Revoke());
        command.Subcommands.Add(List());
        return command;
    }

    private static Option<string> DataDir() => new("--data-dir") { Description = "The data directory of fleet serve", DefaultValueFactory = _ => ".fleet" };

    private static Command Add()
    {
        var id = new Argument<string>("ID") { Description = "Device id (becomes its MQTT user name, client id and topic level)" };
        var dataDir = DataDir();
        var mosquitto = new Option<string?>("--mosquitto-passwd") { Description = "Also add the device to this Mosquitto password_file (then send mosquitto SIGHUP)" };
        var command = new Command("add", "Register a device and print its secret (shown once; only a salted hash is stored)") { id, dataDir, mosquitto };
        command.SetAction((parseResult, _) => Run(parseResult, output =>
        {
            var deviceId = parseResult.GetValue(id)!;
            using var held = DataDirectoryLock.Acquire(parseResult.GetValue(dataDir)!, "fleet devices add");
            var file = DeviceCredentialFile.InDataDirectory(parseResult.GetValue(dataDir)!);
            var secret = DeviceSecrets.Generate();
            if (!file.TryAdd(deviceId, secret, DateTimeOffset.UtcNow, out SaltedSecretHash _))
            {
                parseResult.InvocationConfiguration.Error.WriteLine(
                    $"error: device '{deviceId}' is already provisioned in {file.Path}; revoke it first (fleet devices revoke {deviceId}) to issue a new secret");
                return ExitCodes.Invalid;
            }
            if (parseResult.GetValue(mosquitto) is { } passwd) MosquittoPasswordUpdate.Upsert(passwd, deviceId, secret);
            output.WriteLine($"device   {deviceId}");
            output.WriteLine($"secret   {secret}");
            output.WriteLine($"stored   {file.Path} (salted hash only; the secret is shown this once)");
            if (parseResult.GetValue(mosquitto) is { } written) output.WriteLine($"mosquitto {Path.GetFullPath(written)} (reload: kill -HUP $(pidof mosquitto))");
            output.WriteLine("a running fleet serve loads it at its next start");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Revoke()
    {
        var id = new Argument<string>("ID") { Description = "Device id" };
        var dataDir = DataDir();
        var command = new Command("revoke", "Remove a device's credentials from the credential file") { id, dataDir };
        command.SetAction((parseResult, _) => Run(parseResult, output =>
        {
            var deviceId = parseResult.GetValue(id)!;
            using var held = DataDirectoryLock.Acquire(parseResult.GetValue(dataDir)!, "fleet devices revoke");
            var file = DeviceCredentialFile.InDataDirectory(parseResult.GetValue(dataDir)!);
            if (!file.Remove(deviceId))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: device '{deviceId}' has no credentials in {file.Path}");
                return ExitCodes.Invalid;
            }
            output.WriteLine($"revoked  {deviceId} in {file.Path}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command List()
    {
        var dataDir = DataDir();
        var command = new Command("list", "List provisioned devices and when they were registered") { dataDir };
        command.SetAction((parseResult, _) => Run(parseResult, output =>
        {
            foreach (var entry in DeviceCredentialFile.InDataDirectory(parseResult.GetValue(dataDir)!).Load())
                output.WriteLine($"{entry.DeviceId}\t{entry.RegisteredAt:O}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Task<int> Run(ParseResult parseResult, Func<TextWriter, int> body)
    {
        try
        {
            return Task.FromResult(body(parseResult.InvocationConfiguration.Output));
        }
        catch (Exception e) when (e is DeviceCredentialFileException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(ExitCodes.UsageOrIoError);
        }
    }
}
