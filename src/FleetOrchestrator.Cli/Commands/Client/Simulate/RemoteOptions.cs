using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Output;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Simulation.Faults;
using FleetOrchestrator.Simulation.Links;
using FleetOrchestrator.Simulation.Runs;

namespace FleetOrchestrator.Cli.Commands.Client.Simulate;

/// <summary>
/// What `fleet simulate` adds for a run against a server: --server and --api-key (resolved like every client verb's:
/// option, then $FLEET_SERVER/$FLEET_API_KEY, then fleet login's profile), the device id range and the server's
/// manifest public key. Only an explicit --server makes the run remote: a FLEET_SERVER in the environment does not
/// turn the self-contained `fleet simulate` into a client.
/// </summary>
internal sealed class RemoteOptions
{
    private readonly ClientOptions _client;
    private readonly DeviceRangeOptions _range;
    private readonly Option<int> _count;

    private RemoteOptions(ClientOptions client, DeviceRangeOptions range, Option<int> count)
    {
        _client = client;
        _range = range;
        _count = count;
    }

    public Option<string> PublicKey { get; } = new("--public-key")
    {
        Description = "With --server: the server's manifest public key (its banner's 'public key' file)",
        DefaultValueFactory = _ => Path.Combine(".fleet", "keys", "manifest-signing.pub.pem"),
    };

    public static RemoteOptions AddTo(Command command, Option<int> count)
    {
        ArgumentNullException.ThrowIfNull(command);
        var client = ClientOptions.AddTo(command, json: false);
        client.Server.Description = "Drive this running server (its real MQTT and HTTP endpoints) instead of "
            + "starting an orchestrator here; " + client.Server.Description;
        var options = new RemoteOptions(client, DeviceRangeOptions.AddTo(command, count), count);
        command.Options.Add(options.PublicKey);
        return options;
    }

    public bool Targeted(ParseResult parseResult) => parseResult.GetValue(_client.Server) is not null;

    /// <summary>The first option given that only a run against a server takes, or null.</summary>
    public string? Misplaced(ParseResult parseResult) =>
        new Option[] { _client.ApiKey, PublicKey, _range.Prefix, _range.FirstId, _range.IdRange }
            .FirstOrDefault(o => parseResult.GetResult(o) is { Implicit: false })?.Name;

    public async Task<int> RunAsync(ParseResult parseResult, ClientEnvironment environment,
        IReadOnlyList<Option> inProcessOnly, RemoteArguments arguments, CancellationToken cancellationToken)
    {
        var stderr = parseResult.InvocationConfiguration.Error;
        var stdout = parseResult.InvocationConfiguration.Output;
        return await ClientAction.GuardAsync(stderr, async () =>
        {
            if (inProcessOnly.FirstOrDefault(o => parseResult.GetResult(o) is { Implicit: false }) is { } local)
                throw new ClientUsageException($"{local.Name} belongs to the orchestrator fleet simulate starts "
                                               + "itself; with --server the server's own is used");
            var options = Read(parseResult, arguments, stderr);
            var connection = ServerConnection.Resolve(parseResult.GetValue(_client.Server),
                parseResult.GetValue(_client.ApiKey), environment);
            using var api = new FleetApiClient(connection, _client.Handler(parseResult, environment, connection));
            // The devices check the server's TLS (broker and downloads) as the client does: --ca, --server-sha256.
            options = options with { Tls = _client.Trust(parseResult, connection) };
            // As in-process: a live display on a terminal, the plain lines elsewhere (pipes, CI, tests).
            using var live = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected
                ? new SimulateLiveDisplay(ClientOutput.Create(stderr, terminal: true))
                : null;
            if (live is not null) options = options with { Progress = live, Live = live };
            live?.Start();
            SimulationReport report;
            try
            {
                report = await new RemoteSimulation(api, options with { PollInterval = environment.PollInterval })
                    .RunAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (live is not null) await live.StopAsync().ConfigureAwait(false);
            }
            return await SimulateCommand.WriteAsync(report, parseResult.GetValue(arguments.Report), stdout,
                cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private RemoteSimulationOptions Read(ParseResult parseResult, RemoteArguments a, TextWriter progress)
    {
        try
        {
            var k = parseResult.GetValue(a.MaxInFlight);
            if (k < 1) throw new ClientUsageException($"--max-in-flight must be at least 1, got {k}");
            var x = parseResult.GetValue(a.Speedup);
            if (!(x > 0))
                throw new ClientUsageException(
                    $"--speedup must be a positive number, got {x.ToString(CultureInfo.InvariantCulture)}");
            var plan = FaultPlan.Parse(parseResult.GetValue(a.Faults));
            if (plan.Flags.Count > 0)
                throw new ClientUsageException($"--faults: {string.Join(", ", plan.Flags)} act on fleet simulate's "
                                               + "own orchestrator; with --server restart the server's nodes yourself");
            var policyPath = parseResult.GetValue(a.Rollout);
            SimulateCommand.ReadPolicy(policyPath);
            var dryRun = parseResult.GetValue(a.DryRun);
            if (dryRun && policyPath is null) throw new ClientUsageException("--dry-run needs --rollout");
            var keyPath = parseResult.GetValue(PublicKey)!;
            if (!File.Exists(keyPath))
                throw new ClientUsageException(
                    $"--public-key {keyPath} does not exist (fleet serve's banner names the file)");
            return new RemoteSimulationOptions
            {
                Ids = _range.Read(parseResult),
                Seed = parseResult.GetValue(a.Seed),
                Faults = plan,
                Population = SimulateCommand.ReadPopulation(parseResult.GetValue(a.Population)),
                Link = LinkProfile.Preset(parseResult.GetValue(a.Link)!),
                Speedup = parseResult.GetValue(a.NoDelays) ? double.PositiveInfinity : x,
                MaxInFlight = k,
                Timeout = TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(a.Timeout))),
                Policy = policyPath is null ? null : JsonNode.Parse(File.ReadAllText(policyPath))!.AsObject(),
                DryRun = dryRun,
                KeepWindow = parseResult.GetValue(a.KeepWindow),
                PublicKey = ManifestVerificationKey.FromPem(File.ReadAllText(keyPath)),
                Progress = progress,
            };
        }
        catch (Exception e) when (e is FormatException or FaultPlanFormatException or ArgumentException
                                       or JsonException or InvalidOperationException
                                       or System.Security.Cryptography.CryptographicException)
        {
            throw new ClientUsageException(e.Message);
        }
    }
}
