using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using FleetOrchestrator.Cli.Tests.Firmware;
using FleetOrchestrator.Host.SharedState;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Hosting;

namespace FleetOrchestrator.Cli.Tests.Serve;

/// <summary>
/// `fleet serve` and `fleet devices` as a user runs them: the banner says where things listen and shows the first-start
/// operator key, that key works, cancellation (what Ctrl+C/SIGTERM do) stops it cleanly, and offline provisioning uses
/// the same file the server loads.
/// </summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-serve-test-").FullName;

    [Fact]
    public async Task Serve_prints_its_addresses_and_first_start_key_serves_the_api_and_stops_cleanly_on_cancel()
    {
        var added = await CliRun.Of("devices", "add", "cli-dev-1", "--data-dir", _dir);
        Assert.True(added.ExitCode == 0, added.Err);
        Assert.Matches(@"secret\s+[A-Za-z0-9_-]{43}", added.Out);

        var output = new StringWriter();
        var synchronizedOut = TextWriter.Synchronized(output);
        using var stop = new CancellationTokenSource();
        var run = FleetCli.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--mqtt-port", "0", "--data-dir", _dir],
            synchronizedOut, TextWriter.Synchronized(new StringWriter()), stop.Token);

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!output.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal))
        {
            Assert.False(run.IsCompleted, $"serve ended early: {output}");
            await timer.WaitForNextTickAsync(deadline.Token);
        }
        var banner = output.ToString();
        Assert.Contains(Path.Combine(_dir, "keys", "manifest-signing.pub.pem"), banner);
        Assert.Contains("1 provisioned", banner);
        Assert.Matches(@"mqtt\s+127\.0\.0\.1:\d+", banner);
        var key = OperatorKey().Match(banner).Groups[1].Value;
        var http = HttpAddress().Match(banner).Groups[1].Value;

        using (var client = new HttpClient { BaseAddress = new Uri(http) })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/devices")).StatusCode);
            // The offline-added device was loaded: registering it again is a conflict.
            using var again = await client.PostAsync("/api/devices", new StringContent("{\"deviceId\":\"cli-dev-1\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        await stop.CancelAsync();
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, exit);
        Assert.EndsWith("stopped", output.ToString().TrimEnd(), StringComparison.Ordinal);

        // Only the key's hash is kept, in the store's shared_secrets (no file in the data directory).
        var stored = new DatabaseServerSecrets(FleetPersistenceOptions.Sqlite(Path.Combine(_dir, "fleet.db")))
            .Find(ServerSecrets.SharedOperatorKeyHashName);
        Assert.Equal(OperatorApiKey.Sha256Hex(key), stored);
        Assert.False(File.Exists(Path.Combine(_dir, "operator-api-key.sha256")));
    }

    [Fact]
    public async Task Devices_add_twice_is_refused_and_revoke_removes()
    {
        Assert.Equal(0, (await CliRun.Of("devices", "add", "cli-dev-2", "--data-dir", _dir)).ExitCode);
        var twice = await CliRun.Of("devices", "add", "cli-dev-2", "--data-dir", _dir);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("already provisioned", twice.Err);
        var list = await CliRun.Of("devices", "list", "--data-dir", _dir);
        Assert.Contains("cli-dev-2", list.Out);
        Assert.Equal(0, (await CliRun.Of("devices", "revoke", "cli-dev-2", "--data-dir", _dir)).ExitCode);
        Assert.Equal(1, (await CliRun.Of("devices", "revoke", "cli-dev-2", "--data-dir", _dir)).ExitCode);
    }

    [Fact]
    public async Task Devices_add_refuses_the_service_identity_and_writes_nothing()
    {
        var refused = await CliRun.Of("devices", "add", "fleet-orchestrator", "--data-dir", _dir);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("reserved", refused.Err);
        Assert.DoesNotContain("secret", refused.Out);
        var list = await CliRun.Of("devices", "list", "--data-dir", _dir);
        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain("fleet-orchestrator", list.Out);
    }

    [Theory]
    [InlineData("devices", "add", "bad/id")]
    [InlineData("serve", "--mqtt-port", "70000")]
    [InlineData("serve", "--store", "mysql://x")]
    [InlineData("serve", "--broker", "tcp://x")]
    [InlineData("serve", "--audit-retention-days", "-1")]
    [InlineData("serve", "--config", "/nonexistent/appsettings.json")]
    public async Task Bad_arguments_exit_2_with_a_message(params string[] args)
    {
        var run = await CliRun.Of([.. args, "--data-dir", _dir]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error:", run.Err, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"operator key (\S+)")]
    private static partial Regex OperatorKey();

    [GeneratedRegex(@"http\s+(http://\S+?)/?\s")]
    private static partial Regex HttpAddress();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
