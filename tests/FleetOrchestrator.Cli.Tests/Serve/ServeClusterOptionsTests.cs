using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FleetOrchestrator.Cli.Tests.Firmware;

namespace FleetOrchestrator.Cli.Tests.Serve;

/// <summary>
/// `fleet serve`'s cluster settings as docs/serve.md states their precedence: command-line options over
/// <c>FLEET__CLUSTER__*</c> environment variables over the <c>--config</c> file; the banner shows what the running
/// node got.
/// </summary>
[Collection(ServeEnvironmentCollection.Name)]
public sealed class ServeClusterOptionsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-serve-cluster-").FullName;

    [Fact]
    public async Task Options_win_over_the_environment_which_wins_over_the_file()
    {
        int optionPort = FreePort(), envPort = FreePort(), filePort = FreePort();
        var file = Path.Combine(_dir, "appsettings.json");
        await File.WriteAllTextAsync(file, $$"""
            { "Fleet": { "Cluster": {
                "Port": {{filePort}}, "SeedNodes": [ "127.0.0.1:{{filePort}}" ], "Roles": [ "from-file" ],
                "SplitBrainResolver": "keep-majority" } } }
            """);
        var environment = new Dictionary<string, string>
        {
            ["FLEET__CLUSTER__PORT"] = envPort.ToString(CultureInfo.InvariantCulture),
            ["FLEET__CLUSTER__ROLES__0"] = "from-env",
            ["FLEET__CLUSTER__SPLITBRAINRESOLVER"] = "keep-oldest",
        };
        foreach (var (name, value) in environment) Environment.SetEnvironmentVariable(name, value);
        var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        Task<int> run;
        try
        {
            run = FleetCli.RunAsync(
            [
                "serve", "--config", file, "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--data-dir", _dir,
                "--cluster-port", optionPort.ToString(CultureInfo.InvariantCulture),
                "--seed-node", $"127.0.0.1:{optionPort}", "--cluster-public-host", "127.0.0.1",
            ], TextWriter.Synchronized(output), TextWriter.Synchronized(new StringWriter()), stop.Token);
            await WaitForBannerAsync(output, run);
        }
        finally
        {
            foreach (var name in environment.Keys) Environment.SetEnvironmentVariable(name, null);
        }

        var banner = output.ToString();
        var self = $"akka.tcp://fleet@127.0.0.1:{optionPort}";
        Assert.Contains($"cluster      {self}  (seeds {self}; roles from-env; split-brain resolver keep-oldest)",
            banner);
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData("--seed-node", "no-port-here")]
    [InlineData("--seed-node", "akka.tcp://other@127.0.0.1:4053")]
    [InlineData("--cluster-port", "70000")]
    public async Task Bad_cluster_options_exit_2_with_a_message(string option, string value)
    {
        var run = await CliRun.Of("serve", option, value, "--data-dir", _dir);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error:", run.Err, StringComparison.Ordinal);
    }

    private static async Task WaitForBannerAsync(StringWriter output, Task<int> run)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!output.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal))
        {
            Assert.False(run.IsCompleted, $"serve ended early: {output}");
            await timer.WaitForNextTickAsync(deadline.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
