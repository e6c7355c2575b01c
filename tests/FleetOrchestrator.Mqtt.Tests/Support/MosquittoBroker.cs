using System.Diagnostics;
using FleetOrchestrator.Mqtt.Embedded;
using FleetOrchestrator.Mqtt.Mosquitto;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>
/// A real Mosquitto on a free loopback port, configured like <c>config/mosquitto/</c>: no anonymous access, a password
/// file written by <see cref="MosquittoPasswordFile"/>, the ACL from <see cref="MosquittoAclFile"/>. Killed and its
/// directory deleted on dispose.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    public const string BinaryPath = "/usr/sbin/mosquitto";
    public const string ServiceUser = "fleet-orchestrator";
    public const string ServiceSecret = "mosquitto-service-secret";
    private readonly Process _process;
    private readonly DirectoryInfo _directory;
    private readonly List<string> _output = [];

    private MosquittoBroker(Process process, DirectoryInfo directory, int port, IReadOnlyDictionary<string, string> deviceSecrets)
    {
        _process = process;
        _directory = directory;
        Port = port;
        DeviceSecrets = deviceSecrets;
    }

    public int Port { get; }
    public IReadOnlyDictionary<string, string> DeviceSecrets { get; }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public static Task<MosquittoBroker> StartAsync(IEnumerable<string> deviceIds) =>
        StartAsync(deviceIds.ToDictionary(id => id, _ => FleetOrchestrator.Mqtt.Security.DeviceSecrets.Generate()), port: null);

    /// <summary>Starts with the given device secrets, on <paramref name="port"/> when given (to stand in for a restarted broker).</summary>
    public static async Task<MosquittoBroker> StartAsync(IReadOnlyDictionary<string, string> secrets, int? port, TimeSpan? readinessDeadline = null)
    {
        if (!File.Exists(BinaryPath))
            throw new InvalidOperationException(
                $"Mosquitto is not installed ({BinaryPath} is missing): install the Debian package 'mosquitto' " +
                "(apt-get install mosquitto; tests/run-all.sh does this)");

        var directory = Directory.CreateTempSubdirectory("fleet-mosquitto-");
        var users = secrets.Append(new KeyValuePair<string, string>(ServiceUser, ServiceSecret));
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "passwd"), MosquittoPasswordFile.Build(users));
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "acl"), MosquittoAclFile.Build(ServiceUser));
        int listenPort = port ?? FreeTcpPort.Pick(System.Net.IPAddress.Loopback);
        await File.WriteAllTextAsync(Path.Combine(directory.FullName, "mosquitto.conf"), $"""
            listener {listenPort} 127.0.0.1
            allow_anonymous false
            password_file {directory.FullName}/passwd
            acl_file {directory.FullName}/acl
            persistence false
            # stderr is unbuffered; stdout to a pipe would hold the "running" line back.
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            # The tests run as root; without this Mosquitto would switch to user 'mosquitto', who cannot read the temp dir.
            user root
            """);

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
        var broker = new MosquittoBroker(process, directory, listenPort, secrets);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (broker._output) broker._output.Add(line);
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
            await running.Task.WaitAsync(readinessDeadline ?? TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            await broker.DisposeAsync();
            throw new TimeoutException($"mosquitto did not report 'running' within the deadline:\n{broker.Output}");
        }
        catch
        {
            await broker.DisposeAsync();
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
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            _process.Dispose();
            _directory.Delete(recursive: true);
        }
    }
}
