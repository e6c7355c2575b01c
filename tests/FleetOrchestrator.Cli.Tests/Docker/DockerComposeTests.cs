using System.CommandLine;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Commands;
using FleetOrchestrator.Host.Orchestrator;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace FleetOrchestrator.Cli.Tests.Docker;

/// <summary>
/// docker/compose.yaml, checked without a container engine: parsed as Compose reads it, every `fleet serve` and
/// `fleet simulate` argument parsed by the real command tree, every FLEET__ variable bound by the real settings binder
/// (ServeSettings), the cluster's seeds, store and broker pointing at services of the file, health checks and start
/// order, the files it mounts.
/// </summary>
public sealed class DockerComposeTests
{
    private static readonly string[] Nodes = ["node1", "node2", "node3"];
    private readonly ComposeFile _compose = ComposeFile.Load();

    private static readonly ClientEnvironment NoEnvironment = new() { Variable = _ => null };

    private static IReadOnlySet<string> ServeOptionNames() =>
        ServeCommand.Create().Options.SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);

    private IEnumerable<(string Name, YamlMappingNode Service, IReadOnlyList<string> Args)> Serving() =>
        _compose.Services.Select(s => (s.Key, s.Value, _compose.List(s.Value, "command")))
            .Where(s => s.Item3.Count > 0 && s.Item3[0] == "serve");

    private static string? ValueOf(IReadOnlyList<string> args, string option)
    {
        var i = args.ToList().IndexOf(option);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    private static IEnumerable<string> ValuesOf(IReadOnlyList<string> args, string option) =>
        args.Select((a, i) => (a, i)).Where(p => p.a == option && p.i + 1 < args.Count).Select(p => args[p.i + 1]);

    [Fact]
    public void The_file_has_three_orchestrator_nodes_postgres_mosquitto_a_front_and_a_simulator()
    {
        Assert.Equal(["front", "mosquitto", "mosquitto-setup", "node1", "node2", "node3", "postgres", "simulator"],
            _compose.Services.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Nodes, Serving().Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Equal("docker/Dockerfile", _compose.Scalar(ComposeFile.Mapping(_compose.Services["node1"], "build")!,
            "dockerfile"));
        Assert.All(Nodes.Append("simulator"), n => Assert.Equal("fleet:local",
            _compose.Scalar(_compose.Services[n], "image")));
    }

    [Fact]
    public void Every_fleet_serve_argument_of_the_nodes_is_one_fleet_serve_has_and_parses()
    {
        var known = ServeOptionNames();
        foreach (var (name, _, args) in Serving())
        {
            foreach (var option in args.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
            {
                Assert.True(known.Contains(option), $"{name}: fleet serve has no option {option}");
            }
            var parsed = FleetCli.CreateRoot(NoEnvironment).Parse([.. args]);
            Assert.True(parsed.Errors.Count == 0,
                $"{name}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
        }
        // The check can fail: an option fleet serve lacks is not in the set.
        Assert.DoesNotContain("--no-such-option", known);
    }

    [Fact]
    public void Every_FLEET_variable_is_read_by_the_settings_binder_of_fleet_serve()
    {
        var clientVariables = new[] { ClientEnvironment.ApiKeyVariable, ClientEnvironment.ServerVariable };
        var checkedAny = false;
        var fleetServices = _compose.Services.Where(s => _compose.Scalar(s.Value, "image") == "fleet:local");
        foreach (var (name, service) in fleetServices)
        {
            foreach (var (key, value) in _compose.Environment(service).Where(e => e.Key.StartsWith("FLEET_",
                         StringComparison.Ordinal)))
            {
                if (key.StartsWith("FLEET__", StringComparison.Ordinal))
                {
                    Assert.True(ReadByServeSettings(key, value), $"{name}: {key} is not a setting fleet serve reads");
                    checkedAny = true;
                }
                else
                {
                    Assert.Contains(key, clientVariables);
                }
            }
        }
        Assert.True(checkedAny);
        // The check can fail: the binder never reads a name it has no property for.
        Assert.False(ReadByServeSettings("FLEET__SERVE__NOSUCHSETTING", "x"));
    }

    [Fact]
    public void The_FLEET_variables_of_the_broker_services_are_those_dynsec_setup_sh_reads()
    {
        var script = File.ReadAllText(DynsecSetupScript);
        foreach (var name in new[] { "mosquitto", "mosquitto-setup" })
        {
            var variables = _compose.Environment(_compose.Services[name]).Keys
                .Where(k => k.StartsWith("FLEET_", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(variables);
            Assert.All(variables, v => Assert.Contains("${" + v + ":", script));
        }
    }

    [Fact]
    public void Every_variable_compose_yaml_needs_is_in_env_example_and_every_one_there_is_used()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Docker, "compose.yaml"));
        var referenced = System.Text.RegularExpressions.Regex.Matches(text, @"(?<!\$)\$\{(?<name>[A-Z0-9_]+)(?<op>:-)?")
            .Select(m => (Name: m.Groups["name"].Value, HasDefault: m.Groups["op"].Success)).ToList();
        var example = File.ReadAllLines(Path.Combine(RepositoryFiles.Docker, ".env.example"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)[0]).ToHashSet();
        foreach (var (name, _) in referenced.Where(r => !r.HasDefault))
            Assert.Contains(name, example);
        foreach (var name in example)
            Assert.Contains(name, referenced.Select(r => r.Name));
    }

    private static string DynsecSetupScript =>
        Path.Combine(RepositoryFiles.Root, "config", "mosquitto", "dynsec-setup.sh");

    /// <summary>Binds the one variable as ServeSettings.Load does (":" for "__") and says whether the binder read
    /// it: it reads a key only for a property of ServeSettings or FleetClusterOptions. A value that does not
    /// convert throws (a FormatException naming the key).</summary>
    private static bool ReadByServeSettings(string key, string value)
    {
        var source = new RecordingSource(key.Replace("__", ":", StringComparison.Ordinal), value);
        ServeSettings.FromConfiguration(new ConfigurationBuilder().Add(source).Build());
        return source.Provider.Read;
    }

    private sealed class RecordingSource(string key, string value) : IConfigurationSource
    {
        public RecordingProvider Provider { get; } = new(key, value);

        public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;
    }

    private sealed class RecordingProvider : ConfigurationProvider
    {
        private readonly string _key;

        public RecordingProvider(string key, string value)
        {
            _key = key;
            Data[key] = value;
        }

        public bool Read { get; private set; }

        public override bool TryGet(string key, out string? value)
        {
            if (string.Equals(key, _key, StringComparison.OrdinalIgnoreCase)) Read = true;
            return base.TryGet(key, out value);
        }
    }

    [Fact]
    public void The_nodes_form_one_cluster_on_the_postgres_and_the_mosquitto_of_the_file()
    {
        var nodes = Serving().ToList();
        var ports = nodes.ToDictionary(n => n.Name, n => ValueOf(n.Args, "--cluster-port"));
        var postgres = _compose.Environment(_compose.Services["postgres"]);
        var mosquitto = _compose.Environment(_compose.Services["mosquitto"]);
        var setup = _compose.Environment(_compose.Services["mosquitto-setup"]);
        foreach (var (name, _, args) in nodes)
        {
            // Each node names itself as the others reach it, and every node has the same seeds, all of them nodes.
            Assert.Equal(name, ValueOf(args, "--cluster-public-host"));
            Assert.Equal("0.0.0.0", ValueOf(args, "--cluster-host"));
            var seeds = ValuesOf(args, "--seed-node").ToList();
            Assert.Equal(Nodes.Select(n => $"{n}:{ports[n]}"), seeds);
            Assert.NotEmpty(ValuesOf(args, "--role"));

            var store = StoreUrl.Parse(ValueOf(args, "--store"));
            Assert.NotNull(store);
            Assert.Equal($"postgres://{postgres["POSTGRES_USER"]}:{postgres["POSTGRES_PASSWORD"]}@postgres:5432/" +
                         postgres["POSTGRES_DB"], ValueOf(args, "--store"));
            var broker = BrokerUrl.Parse(ValueOf(args, "--broker"));
            Assert.NotNull(broker);
            // Two accounts: the traffic account mosquitto-setup makes, and the plugin's admin mosquitto was
            // initialised with, which creates and deletes the device accounts.
            Assert.Equal(("mosquitto", 1883, setup["FLEET_SERVICE_USER"], setup["FLEET_SERVICE_PASSWORD"]),
                (broker.Host, broker.Port, broker.UserName, broker.Password));
            Assert.Equal($"{mosquitto["FLEET_DYNSEC_ADMIN"]}:{mosquitto["FLEET_DYNSEC_ADMIN_PASSWORD"]}",
                ValueOf(args, "--mosquitto-dynsec"));
            Assert.NotEqual(broker.UserName, mosquitto["FLEET_DYNSEC_ADMIN"]);
            Assert.Equal("service_completed_successfully",
                _compose.DependsOn(_compose.Services[name])["mosquitto-setup"]);
            Assert.Equal("/data", ValueOf(args, "--data-dir"));
            Assert.Contains(_compose.Volumes(_compose.Services[name]), v => v.Target == "/data"
                && _compose.TopLevelNames("volumes").Contains(v.Source));
        }
        // Every node has a data volume of its own (a data directory holds one process: fleet.lock).
        Assert.Equal(3, nodes.Select(n => _compose.Volumes(n.Service).Single(v => v.Target == "/data").Source)
            .Distinct().Count());
    }

    [Fact]
    public void Devices_operators_and_the_simulator_reach_the_deployment_through_the_front()
    {
        var front = _compose.Services["front"];
        var publicHost = _compose.Scalar(front, "hostname");
        foreach (var (name, _, args) in Serving())
        {
            Assert.Equal($"https://{publicHost}:8443", ValueOf(args, "--public-url"));
            // Registrations tell devices the front's MQTT over TLS, not the broker address the node uses.
            Assert.Equal($"mqtts://{publicHost}:8883", ValueOf(args, "--public-mqtt"));
        }
        Assert.Equal(["8443:8443", "8883:8883"], _compose.List(front, "ports"));
        var haproxy = File.ReadAllText(Path.Combine(RepositoryFiles.Docker, "haproxy.cfg"));
        Assert.All(Nodes, n => Assert.Contains($"server {n} {n}:8080", haproxy));
        Assert.Contains("server mosquitto mosquitto:8883", haproxy);
    }

    [Fact]
    public void The_simulator_runs_fleet_simulate_against_the_front_with_options_fleet_simulate_has()
    {
        var simulator = _compose.Services["simulator"];
        var args = _compose.List(simulator, "command");

        Assert.Equal("simulate", args[0]);
        var parsed = FleetCli.CreateRoot(NoEnvironment).Parse([.. args]);
        Assert.True(parsed.Errors.Count == 0, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        Assert.Equal($"https://{_compose.Scalar(_compose.Services["front"], "hostname")}:8443",
            ValueOf(args, "--server"));
        Assert.Contains(ClientEnvironment.ApiKeyVariable, _compose.Environment(simulator).Keys);
        // It trusts the deployment's certificate (a self-signed one is in no system store), from the mounted file.
        var ca = ValueOf(args, "--ca")!;
        Assert.Contains(_compose.Volumes(simulator), v => ca.StartsWith(v.Target + "/", StringComparison.Ordinal)
            && v.Source == _compose.Volumes(_compose.Services["node1"]).Single(n => n.Target == v.Target).Source);
        // The policy it runs is a file of the repository, mounted where the command reads it.
        var policy = ValueOf(args, "--rollout")!;
        var mount = _compose.Volumes(simulator)
            .Single(v => policy.StartsWith(v.Target + "/", StringComparison.Ordinal));
        Assert.True(
            File.Exists(Path.Combine(RepositoryFiles.Docker, mount.Source, policy[(mount.Target.Length + 1)..])),
            policy);
        Assert.Equal("no", _compose.Scalar(simulator, "restart"));
    }

    [Fact]
    public void Every_long_running_service_has_a_health_check_and_starts_after_what_it_needs_is_healthy()
    {
        var oneShots = _compose.Services.Where(s => _compose.Scalar(s.Value, "restart") == "no")
            .Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["mosquitto-setup", "simulator"], oneShots);
        foreach (var (name, service) in _compose.Services.Where(s => !oneShots.Contains(s.Key)))
        {
            var health = ComposeFile.Mapping(service, "healthcheck");
            Assert.True(health is not null && _compose.List(health, "test").Count > 0, $"{name} has no health check");
            foreach (var (dependency, _) in _compose.DependsOn(service))
                Assert.Contains(dependency, _compose.Services.Keys);
        }
        foreach (var node in Nodes)
        {
            var test = string.Join(' ', _compose.List(ComposeFile.Mapping(_compose.Services[node], "healthcheck")!,
                "test"));
            Assert.Contains("https://127.0.0.1:8080/healthz", test);
            var needs = _compose.DependsOn(_compose.Services[node]);
            Assert.Equal("service_healthy", needs["postgres"]);
            Assert.Equal("service_healthy", needs["mosquitto"]);
        }
        Assert.Contains("pg_isready", _compose.List(ComposeFile.Mapping(_compose.Services["postgres"],
            "healthcheck")!, "test"));
        // The service account is made on the running broker, by the script the docs give operators.
        var setup = _compose.Services["mosquitto-setup"];
        Assert.Equal("service_healthy", _compose.DependsOn(setup)["mosquitto"]);
        Assert.Contains("dynsec-setup.sh service mosquitto 1883", string.Join(' ', _compose.List(setup, "command")));
        Assert.All(new[] { "mosquitto", "mosquitto-setup" }, n => Assert.Contains(_compose.Volumes(
            _compose.Services[n]), v => v.Source == "../config/mosquitto/dynsec-setup.sh"));
        var simulatorNeeds = _compose.DependsOn(_compose.Services["simulator"]);
        Assert.All(Nodes.Append("front"), n => Assert.Equal("service_healthy", simulatorNeeds[n]));
    }

    [Fact]
    public void Files_it_mounts_exist_or_are_the_operators_own_and_ignored_by_git()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryFiles.Docker, ".gitignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var mounts = _compose.Services.Values.SelectMany(_compose.Volumes)
            .Where(v => v.Source.StartsWith('.')).Select(v => v.Source)
            .Concat(_compose.TopLevelNames("secrets").Select(s =>
                _compose.Scalar(_compose.TopLevel("secrets", s)!, "file")!))
            .Distinct().ToList();
        Assert.NotEmpty(mounts);
        foreach (var source in mounts)
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryFiles.Docker, source));
            if (File.Exists(path) || Directory.Exists(path)) continue;
            var relative = Path.GetRelativePath(RepositoryFiles.Docker, path).Replace('\\', '/');
            Assert.True(ignored.Any(i => (relative + "/").StartsWith(i.TrimEnd('/') + "/", StringComparison.Ordinal)),
                $"{source} is neither in the repository nor under docker/.gitignore (the operator's own files)");
        }
        foreach (var (name, service) in _compose.Services)
        {
            foreach (var secret in _compose.List(service, "secrets"))
                Assert.True(_compose.TopLevel("secrets", secret) is not null, $"{name}: secret {secret} undeclared");
            foreach (var (source, _) in _compose.Volumes(service).Where(v => !v.Source.StartsWith('.')))
                Assert.True(_compose.TopLevelNames("volumes").Contains(source), $"{name}: volume {source} undeclared");
        }
    }

    [Fact]
    public void Mosquitto_in_compose_keeps_every_setting_of_config_mosquitto_but_listeners_files_and_accounts()
    {
        // Where a container differs on purpose: listeners, file paths, and accounts (dynamic security, not files).
        string[] differs =
        [
            "listener", "password_file", "acl_file", "persistence_location", "cafile", "certfile", "keyfile",
            "require_certificate", "use_identity_as_username", "plugin", "plugin_opt_config_file",
        ];
        static List<string> Directives(string path) => [.. File.ReadAllLines(path)
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        var source = Directives(Path.Combine(RepositoryFiles.Root, "config", "mosquitto", "mosquitto.conf"));
        var docker = Directives(Path.Combine(RepositoryFiles.Docker, "mosquitto.conf"));
        foreach (var line in source.Where(l => !differs.Contains(l.Split(' ')[0])))
            Assert.Contains(line, docker);
        Assert.Contains("listener 8883 0.0.0.0", docker);
        Assert.Contains(_compose.Volumes(_compose.Services["mosquitto"]),
            v => v.Source == "./mosquitto.conf" && v.Target == "/mosquitto/config/mosquitto.conf");
    }
}
