using System.CommandLine;
using System.Globalization;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Commands.Client.Simulate;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Simulation.Attached;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Populations;

namespace FleetOrchestrator.Cli.Commands.Client;

/// <summary>
/// `fleet devices simulate --count N` (or `--id-range A-B`): simulated devices attached to a running server over its
/// real MQTT and HTTP ports, provisioned through the API (<see cref="SimulatorRegistration"/>: an id another running
/// simulator holds is refused), tagged from --population, until Ctrl+C, with a line of their states every second.
/// The plumbing is <see cref="AttachedFleet"/> in FleetOrchestrator.Simulation.
/// </summary>
internal static class DevicesSimulateCommand
{
    public static Command Create(ClientEnvironment environment)
    {
        var count = new Option<int>("--count")
        {
            Description = "Number of simulated devices",
            DefaultValueFactory = _ => 10,
        };
        var seed = new Option<long>("--seed")
        {
            Description = "Seed of faults and population",
            DefaultValueFactory = _ => 1,
        };
        var faults = new Option<string?>("--faults")
        {
            Description = "Device faults as name=share pairs, as fleet simulate takes them "
                + "(crash-loop needs --crash-on)",
        };
        var crashOn = new Option<string?>("--crash-on")
        {
            Description = "The release the crash-loop units crash on, X.Y.Z",
        };
        var population = new Option<string?>("--population")
        {
            Description = "Population JSON (config/populations/): versions, silicon, ROM, tags",
        };
        var link = new Option<string>("--link")
        {
            Description = "Link profile: lte-m, nb-iot, poor-coverage or instant",
            DefaultValueFactory = _ => "lte-m",
        };
        var speedup = new Option<double>("--speedup")
        {
            Description = "Simulated time runs X times faster",
            DefaultValueFactory = _ => 60,
        };
        var noDelays = new Option<bool>("--no-delays") { Description = "No simulated delays at all" };
        var publicKey = new Option<string>("--public-key")
        {
            Description = "The server's manifest public key (its banner's 'public key' file)",
            DefaultValueFactory = _ => Path.Combine(".fleet", "keys", "manifest-signing.pub.pem"),
        };
        var command = new Command("simulate",
            "Attach simulated L072 devices to a running server (its real MQTT and HTTP ports) until Ctrl+C")
        {
            count, seed, faults, crashOn, population, link, speedup, noDelays, publicKey,
        };
        var range = DeviceRangeOptions.AddTo(command, count);
        var options = ClientOptions.AddTo(command);
        ClientAction.Set(command, options, environment, async (parseResult, api, output, ct) =>
        {
            // The devices check the server's TLS (broker and downloads) as the CLI does: --ca, --server-sha256.
            var fleetOptions = Options(parseResult, count, range, seed, faults, crashOn, population, link, speedup,
                noDelays, publicKey) with { Tls = options.Trust(parseResult, api.Connection) };
            await using var fleet = await AttachedFleet.StartAsync(fleetOptions,
                (id, tags, token) => SimulatorRegistration.RegisterAsync(api, id, tags, token), ct)
                .ConfigureAwait(false);
            await output.Out.WriteLineAsync(
                $"{fleetOptions.Ids.Count} simulated devices attached to {api.Connection.Server} " +
                $"({string.Join(", ", AttachedFleet.DeviceIds(fleetOptions).Take(3))}…); Ctrl+C to stop")
                .ConfigureAwait(false);
            using var timer = new PeriodicTimer(environment.PollInterval);
            string? last = null;
            try
            {
                while (true)
                {
                    var line = fleet.StateLine();
                    if (output.IsTerminal) await output.Out.WriteAsync("\r" + line.PadRight(Math.Max(last?.Length ?? 0,
                        line.Length))).ConfigureAwait(false);
                    else if (line != last) await output.Out.WriteLineAsync(line).ConfigureAwait(false);
                    await output.Out.FlushAsync(ct).ConfigureAwait(false);
                    last = line;
                    await timer.WaitForNextTickAsync(ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                if (output.IsTerminal) await output.Out.WriteLineAsync().ConfigureAwait(false);
                await output.Out.WriteLineAsync($"stopping: {fleet.StateLine()}").ConfigureAwait(false);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static AttachedFleetOptions Options(ParseResult parseResult, Option<int> count, DeviceRangeOptions range,
        Option<long> seed, Option<string?> faults, Option<string?> crashOn, Option<string?> population,
        Option<string> link, Option<double> speedup, Option<bool> noDelays, Option<string> publicKey)
    {
        try
        {
            var n = parseResult.GetValue(count);
            if (n < 1 || n > 100_000) throw new ClientUsageException($"--count must be from 1 to 100000, got {n}");
            var ids = range.Read(parseResult);
            var x = parseResult.GetValue(speedup);
            if (!(x > 0))
            {
                throw new ClientUsageException(
                    $"--speedup must be a positive number, got {x.ToString(CultureInfo.InvariantCulture)}");
            }
            var plan = FaultPlan.Parse(parseResult.GetValue(faults));
            var crash = parseResult.GetValue(crashOn) is { } v ? SemanticVersion.Parse(v) : (SemanticVersion?)null;
            if (plan.ShareOf(FaultKind.CrashLoop) > 0 && crash is null)
                throw new ClientUsageException(
                    "the crash-loop fault needs --crash-on X.Y.Z (the release those units crash on)");
            if (plan.Flags.Count > 0)
            {
                throw new ClientUsageException($"--faults: {string.Join(", ", plan.Flags)} act on fleet simulate's "
                    + "own orchestrator, not on devices");
            }
            var keyPath = parseResult.GetValue(publicKey)!;
            if (!File.Exists(keyPath))
                throw new ClientUsageException(
                    $"--public-key {keyPath} does not exist (fleet serve's banner names the file)");
            return new AttachedFleetOptions
            {
                Ids = ids,
                Seed = parseResult.GetValue(seed),
                Faults = plan,
                CrashOnVersion = crash,
                Population = ReadPopulation(parseResult.GetValue(population)),
                Link = LinkProfile.Preset(parseResult.GetValue(link)!),
                Speedup = parseResult.GetValue(noDelays) ? double.PositiveInfinity : x,
                PublicKey = ManifestVerificationKey.FromPem(File.ReadAllText(keyPath)),
            };
        }
        catch (Exception e) when (e is FormatException or FaultPlanFormatException or ArgumentException
                                       or System.Security.Cryptography.CryptographicException)
        {
            throw new ClientUsageException(e.Message);
        }
    }

    private static Population? ReadPopulation(string? path)
    {
        if (path is null) return null;
        if (!File.Exists(path)) throw new ClientUsageException($"--population {path} does not exist");
        var result = PopulationReader.Read(File.ReadAllText(path));
        return result.Population ?? throw new ClientUsageException(
            $"--population {path}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", result.Problems)}");
    }
}
