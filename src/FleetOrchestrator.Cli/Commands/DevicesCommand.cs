using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Commands.Client;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Host.SharedState;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>
/// `fleet devices add ID [--data-dir DIR] [--mosquitto-passwd FILE]`, `fleet devices revoke ID [--data-dir DIR]`,
/// `fleet devices list [--data-dir DIR]`: provisioning offline, in the data directory's default store
/// (<c>fleet.db</c>, table device_credentials; an older device-credentials.json is imported first). Add and revoke
/// take the data directory's lock, so they are refused while `fleet serve` runs on it: then use POST /api/devices,
/// as always with a server on PostgreSQL.
/// Exit 0 done, 1 the device already exists (add) or has no credentials (revoke), 2 bad arguments or an unusable file.
/// `list` and `revoke` go to a running server instead when one is set (--server, FLEET_SERVER or fleet login) and
/// --data-dir is not given; `register`, `show` and `simulate` are online only (docs/cli.md).
/// </summary>
internal static class DevicesCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var command = new Command("devices",
            "Devices: offline in the data directory (add, and list/revoke with --data-dir) or on a running server");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Revoke(environment));
        command.Subcommands.Add(List(environment));
        command.Subcommands.Add(DevicesOnline.Register(environment));
        command.Subcommands.Add(DevicesOnline.Show(environment));
        command.Subcommands.Add(DevicesSimulateCommand.Create(environment));
        return command;
    }

    private const string DefaultDataDir = ".fleet";

    private static Option<string> DataDir() => new("--data-dir") { Description = "The data directory of fleet serve",
        DefaultValueFactory = _ => DefaultDataDir };

    /// <summary>No default, so that giving it can mean "offline" even when a server is configured.</summary>
    private static Option<string?> OfflineDataDir() => new("--data-dir")
    {
        Description = "Work offline on this data directory of fleet serve "
            + $"(the default, {DefaultDataDir}, when no server is set)",
    };

    /// <summary>Online unless --data-dir is given or no server is set anywhere.</summary>
    private static ServerConnection? OnlineConnection(ParseResult parseResult, Option<string?> dataDir,
        ClientOptions options,
        ClientEnvironment environment)
    {
        var server = parseResult.GetValue(options.Server);
        if (parseResult.GetValue(dataDir) is not null)
        {
            return server is null
                ? null
                : throw new ClientUsageException("--data-dir (offline) and --server (online) exclude each other");
        }
        return ServerConnection.TryResolve(server, parseResult.GetValue(options.ApiKey), environment);
    }

    private static Task<int> Online(ParseResult parseResult, ServerConnection connection, ClientOptions options,
        ClientEnvironment environment, Func<FleetApiClient, ClientOutput, Task<int>> body)
    {
        var output = new ClientOutput(parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            parseResult.GetValue(options.Json));
        return ClientAction.GuardAsync(output.Error, async () =>
        {
            using var api = new FleetApiClient(connection, options.Handler(parseResult, environment, connection));
            return await body(api, output).ConfigureAwait(false);
        });
    }

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
            if (ProvisionableDeviceIds.DescribeProblem(deviceId) is { } problem)
                throw new ArgumentException($"'{deviceId}' cannot be a device id: {problem}");
            var store = DatabaseDeviceCredentials.InDataDirectory(parseResult.GetValue(dataDir)!, out var where);
            var secret = DeviceSecrets.Generate();
            if (!store.TryAdd(deviceId, secret, DateTimeOffset.UtcNow, out SaltedSecretHash _))
            {
                parseResult.InvocationConfiguration.Error.WriteLine(
                    $"error: device '{deviceId}' is already provisioned in {where}; revoke it first " +
                    $"(fleet devices revoke {deviceId}) to issue a new secret");
                return ExitCodes.Invalid;
            }
            if (parseResult.GetValue(mosquitto) is { } passwd) MosquittoPasswordUpdate.Upsert(passwd, deviceId, secret);
            output.WriteLine($"device   {deviceId}");
            output.WriteLine($"secret   {secret}");
            output.WriteLine($"stored   {where} (salted hash only; the secret is shown this once)");
            if (parseResult.GetValue(mosquitto) is { } written) output.WriteLine($"mosquitto {Path.GetFullPath(written)} (reload: kill -HUP $(pidof mosquitto))");
            output.WriteLine("fleet serve on this data directory knows it from its next start");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Revoke(ClientEnvironment environment)
    {
        var id = new Argument<string>("ID") { Description = "Device id" };
        var dataDir = OfflineDataDir();
        var command = new Command("revoke",
            "Revoke a device's credentials: on the running server, or offline in the credential file with --data-dir")
        {
            id, dataDir,
        };
        var options = ClientOptions.AddTo(command);
        command.SetAction(async (parseResult, ct) =>
        {
            ServerConnection? connection = null;
            var refused = await ClientAction.GuardAsync(parseResult.InvocationConfiguration.Error, () =>
            {
                connection = OnlineConnection(parseResult, dataDir, options, environment);
                return Task.FromResult(ExitCodes.Success);
            }).ConfigureAwait(false);
            if (refused != ExitCodes.Success) return refused;
            if (connection is not null)
            {
                return await Online(parseResult, connection, options, environment,
                    (api, output) => DevicesOnline.RevokeAsync(api, output, parseResult.GetValue(id)!,
                        ct)).ConfigureAwait(false);
            }
            return await RevokeOffline(parseResult, id, parseResult.GetValue(dataDir)
                ?? DefaultDataDir).ConfigureAwait(false);
        });
        return command;
    }

    private static Task<int> RevokeOffline(ParseResult parseResult, Argument<string> id, string directory) =>
        Run(parseResult, output =>
        {
            var deviceId = parseResult.GetValue(id)!;
            using var held = DataDirectoryLock.Acquire(directory, "fleet devices revoke");
            var store = DatabaseDeviceCredentials.InDataDirectory(directory, out var where);
            if (!store.Remove(deviceId, DateTimeOffset.UtcNow))
            {
                parseResult.InvocationConfiguration.Error.WriteLine(
                    $"error: device '{deviceId}' has no credentials in {where}");
                return ExitCodes.Invalid;
            }
            output.WriteLine($"revoked  {deviceId} in {where}");
            return ExitCodes.Success;
        });

    private static Command List(ClientEnvironment environment)
    {
        var dataDir = OfflineDataDir();
        var version = new Option<string?>("--version") { Description = "Online: only devices running this version" };
        var state = new Option<string?>("--state")
        {
            Description = "Online: only devices in this saga state (e.g. completed)",
        };
        var outcome = new Option<string?>("--outcome")
        {
            Description = "Online: only devices whose last saga ended so",
        };
        var online = new Option<bool?>("--online")
        {
            Description = "Online: only devices online (true) or offline (false)",
        };
        var tags = new Option<string[]>("--tag")
        {
            Description = "Online: only devices with tag k=v (repeat for more; one request per listed device)",
            AllowMultipleArgumentsPerToken = true,
        };
        var limit = new Option<int?>("--limit")
        {
            Description = "Online: at most this many devices (server default 1000)",
        };
        var command = new Command("list",
            "List devices: the running server's fleet, or offline the provisioned ones with --data-dir")
        {
            dataDir, version, state, outcome, online, tags, limit,
        };
        var options = ClientOptions.AddTo(command);
        command.SetAction(async (parseResult, ct) =>
        {
            ServerConnection? connection = null;
            DevicesOnline.ListFilters? filters = null;
            var refused = await ClientAction.GuardAsync(parseResult.InvocationConfiguration.Error, () =>
            {
                connection = OnlineConnection(parseResult, dataDir, options, environment);
                filters = new DevicesOnline.ListFilters(parseResult.GetValue(version), parseResult.GetValue(state),
                    parseResult.GetValue(outcome), parseResult.GetValue(online),
                        TagArguments.Parse(parseResult.GetValue(tags)),
                    parseResult.GetValue(limit));
                return Task.FromResult(ExitCodes.Success);
            }).ConfigureAwait(false);
            if (refused != ExitCodes.Success) return refused;
            if (connection is not null)
            {
                return await Online(parseResult, connection, options, environment,
                    (api, output) => DevicesOnline.ListAsync(api, output, filters!, ct)).ConfigureAwait(false);
            }
            return await Run(parseResult, output =>
            {
                foreach (var entry in DatabaseDeviceCredentials.InDataDirectory(parseResult.GetValue(dataDir)
                    ?? DefaultDataDir, out _).Load())
                    output.WriteLine($"{entry.DeviceId}\t{entry.RegisteredAt:O}");
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Task<int> Run(ParseResult parseResult, Func<TextWriter, int> body)
    {
        try
        {
            return Task.FromResult(body(parseResult.InvocationConfiguration.Output));
        }
        catch (Exception e) when (e is DeviceCredentialFileException or ArgumentException or IOException
                                       or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return Task.FromResult(ExitCodes.UsageOrIoError);
        }
    }
}
