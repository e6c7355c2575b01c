using System.Diagnostics;
using System.Net;
using FleetOrchestrator.Mqtt.Embedded;

namespace FleetOrchestrator.Mqtt.Mosquitto;

/// <summary>
/// A Mosquitto process on loopback with a generated password file and the fleet's ACL, for `fleet simulate --broker
/// mosquitto` and the tests: the same broker a deployment would run, started from Debian's binary.
/// </summary>
public sealed class LocalMosquitto : IAsyncDisposable
{
    public const string BinaryPath = "/usr/sbin/mosquitto";
    public const string ControlBinaryPath = "/usr/bin/mosquitto_ctrl";
    public const string DynamicSecurityPluginPath = "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so";
    public const string DynamicSecurityFileName = "dynamic-security.json";
    private const int MaxLinesKept = 500;
    private readonly Process _process;
    private readonly DirectoryInfo _directory;
    private readonly List<string> _output = [];

    private LocalMosquitto(Process process, DirectoryInfo directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The password file Mosquitto reads (again on SIGHUP); provisioning may add devices to it.</summary>
    public string PasswordFilePath => Path.Combine(_directory.FullName, "passwd");

    /// <summary>The dynamic security plugin's state (with <see cref="StartWithDynamicSecurityAsync"/>).</summary>
    public string DynamicSecurityFilePath => Path.Combine(_directory.FullName, DynamicSecurityFileName);

    /// <summary>The Mosquitto process, e.g. to send it SIGHUP after its password file changed.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The last lines Mosquitto logged (for error messages).</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>
    /// Starts Mosquitto with <paramref name="users"/> (devices and the orchestrator's service user) in its password file,
    /// and waits, up to <paramref name="readinessDeadline"/>, for its "running" line.
    /// </summary>
    /// <param name="extraConfiguration">Lines appended to the generated mosquitto.conf (a TLS listener, say:
    /// config/mosquitto/tls.conf with its paths and port filled in).</param>
    public static async Task<LocalMosquitto> StartAsync(
        IEnumerable<KeyValuePair<string, string>> users, string serviceUserName, int? port = null,
        TimeSpan? readinessDeadline = null, string? extraConfiguration = null)
    {
        if (!File.Exists(BinaryPath))
            throw new InvalidOperationException(
                $"Mosquitto is not installed ({BinaryPath} is missing): install the Debian package 'mosquitto' " +
                "(apt-get install mosquitto; tests/run-all.sh does this)");

        var directory = Directory.CreateTempSubdirectory("fleet-mosquitto-");
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "passwd"), MosquittoPasswordFile.Build(users)).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "acl"), MosquittoAclFile.Build(serviceUserName)).ConfigureAwait(false);
        int listenPort = port ?? FreeTcpPort.Pick(IPAddress.Loopback);
        return await LaunchAsync(directory, listenPort, $"""
            password_file {directory.FullName}/passwd
            acl_file {directory.FullName}/acl
            """, readinessDeadline, extraConfiguration).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts Mosquitto with the dynamic security plugin instead of a password file and ACL: its
    /// <c>dynamic-security.json</c> made by <c>mosquitto_ctrl dynsec init</c> with one client, the plugin's admin
    /// <paramref name="adminUserName"/> (role <c>admin</c>); everyone else is created through the plugin.
    /// </summary>
    public static async Task<LocalMosquitto> StartWithDynamicSecurityAsync(
        string adminUserName, string adminPassword, int? port = null, TimeSpan? readinessDeadline = null)
    {
        if (!File.Exists(BinaryPath) || !File.Exists(ControlBinaryPath) || !File.Exists(DynamicSecurityPluginPath))
            throw new InvalidOperationException(
                $"Mosquitto with its dynamic security plugin is not installed ({BinaryPath}, {ControlBinaryPath}, " +
                $"{DynamicSecurityPluginPath}): install the Debian package 'mosquitto' (apt-get install mosquitto)");
        var directory = Directory.CreateTempSubdirectory("fleet-mosquitto-dynsec-");
        var file = Path.Combine(directory.FullName, DynamicSecurityFileName);
        using (var init = Process.Start(new ProcessStartInfo(ControlBinaryPath, ["dynsec", "init", file,
            adminUserName, adminPassword])
               { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!)
        {
            var output = await init.StandardOutput.ReadToEndAsync().ConfigureAwait(false)
                         + await init.StandardError.ReadToEndAsync().ConfigureAwait(false);
            await init.WaitForExitAsync().ConfigureAwait(false);
            if (init.ExitCode != 0)
            {
                directory.Delete(recursive: true);
                throw new InvalidOperationException($"mosquitto_ctrl dynsec init failed ({init.ExitCode}): {output}");
            }
        }
        int listenPort = port ?? FreeTcpPort.Pick(IPAddress.Loopback);
        return await LaunchAsync(directory, listenPort, $"""
            plugin {DynamicSecurityPluginPath}
            plugin_opt_config_file {file}
            """, readinessDeadline).ConfigureAwait(false);
    }

    private static async Task<LocalMosquitto> LaunchAsync(
        DirectoryInfo directory, int listenPort, string authentication, TimeSpan? readinessDeadline,
        string? extraConfiguration = null)
    {
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "mosquitto.conf"), $"""
            listener {listenPort} 127.0.0.1
            allow_anonymous false
            {authentication}
            persistence false
            # The orchestrator's one session receives every device's events: at the default of 1000 queued QoS 1
            # messages per client, Mosquitto drops the overflow of a fleet-wide burst (boot reports lost at 1,000+ devices).
            max_queued_messages 1000000
            max_inflight_messages 1000
            # stderr is unbuffered; stdout to a pipe would hold the "running" line back.
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            # As root, Mosquitto would switch to user 'mosquitto', who cannot read the temp dir.
            user root

            """ + (extraConfiguration ?? "")).ConfigureAwait(false);

        var process = new Process
        {
            StartInfo = new ProcessStartInfo(BinaryPath, ["-c", Path.Combine(directory.FullName, "mosquitto.conf")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var broker = new LocalMosquitto(process, directory, listenPort);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (broker._output)
            {
                // Only the tail matters for error messages; 10,000 connecting devices log 10,000 lines.
                if (broker._output.Count == MaxLinesKept) broker._output.RemoveAt(0);
                broker._output.Add(line);
            }
            if (line.Contains(" running", StringComparison.Ordinal)) running.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => running.TrySetException(new InvalidOperationException($"mosquitto exited during start-up:\n{broker.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await running.Task.WaitAsync(readinessDeadline ?? TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"mosquitto did not report 'running' within the deadline:\n{broker.Output}");
        }
        catch
        {
            await broker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return broker;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
        }
        finally
        {
            _process.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}
