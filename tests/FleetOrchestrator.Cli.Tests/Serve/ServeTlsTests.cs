using System.Net;
using System.Text.RegularExpressions;
using FleetOrchestrator.Cli.Client;
using FleetOrchestrator.Cli.Tests.Client;
using FleetOrchestrator.Cli.Tests.Firmware;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Cli.Tests.Serve;

/// <summary>
/// `fleet serve --tls` as a user runs it: the first start makes a self-signed certificate and prints its SHA-256 in
/// the banner, a client pinning that fingerprint gets in, the next start reuses the same certificate; and a plain
/// listener on every interface is warned about in the banner. `fleet login --ca` keeps the trust for later commands.
/// </summary>
public sealed partial class ServeTlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-serve-tls-test-").FullName;

    [Fact]
    public async Task Serve_with_tls_generates_a_certificate_once_prints_its_fingerprint_and_reuses_it()
    {
        var first = await BannerOfAsync(async banner =>
        {
            Assert.Contains("self-signed, generated now", banner);
            Assert.Matches(@"mqtt\s+127\.0\.0\.1:\d+\s+\(embedded broker, TLS; no plain port", banner);
            var url = Regex.Match(banner, @"http\s+(https://\S+?)/?\s").Groups[1].Value;
            using var pinned = new HttpClient(ServerTrust.FromFingerprint(Fingerprint(banner)).CreateHttpHandler());
            Assert.Equal(HttpStatusCode.OK, (await pinned.GetAsync(url + "/healthz")).StatusCode);

            // The CLI client: trusting the certificate file gets in, the system store (which never saw it) does not.
            var key = Regex.Match(banner, @"operator key (\S+)").Groups[1].Value;
            string[] list = ["devices", "list", "--server", url, "--api-key", key];
            var trusted = await CliRun.Of([.. list, "--ca", Path.Combine(_dir, "tls", "self-signed.crt.pem")]);
            Assert.True(trusted.ExitCode == 0, trusted.Err);
            var untrusted = await CliRun.Of(list);
            Assert.Equal(3, untrusted.ExitCode);
            Assert.Contains("TLS certificate is not trusted", untrusted.Err);

            // fleet login keeps the trust with the server: later commands need neither --server nor --ca.
            var profile = new ClientEnvironment
            {
                ProfilePath = Path.Combine(_dir, "profile.json"), Variable = _ => null,
            };
            var caFile = Path.Combine(_dir, "tls", "self-signed.crt.pem");
            var login = await ClientRun.Of(profile, ["login", "--server", url, "--api-key", key, "--ca", caFile]);
            Assert.True(login.ExitCode == 0, login.ToString());
            Assert.Contains("self-signed.crt.pem", File.ReadAllText(profile.ProfilePath));
            var later = await ClientRun.Of(profile, ["devices", "list"]);
            Assert.True(later.ExitCode == 0, later.ToString());
            // The kept trust belongs to that server: the same key sent to it by another name is checked by the
            // system store again, and refused.
            var otherName = await ClientRun.Of(profile, ["devices", "list", "--server", url.Replace("127.0.0.1",
                "localhost", StringComparison.Ordinal)]);
            Assert.Equal(3, otherName.ExitCode);
            Assert.Contains("TLS certificate is not trusted", otherName.Err);
        }, "--tls", "--urls", "https://127.0.0.1:0", "--mqtt-tls-port", "0");
        var onDisk = ServerTrust.FromCaFile(Path.Combine(_dir, "tls", "self-signed.crt.pem"));
        Assert.Equal(Fingerprint(first), Assert.Single(onDisk.Anchors).GetCertHashString(
            System.Security.Cryptography.HashAlgorithmName.SHA256).Chunk(2).Select(c => new string(c))
            .Aggregate((a, b) => a + ":" + b));

        var second = await BannerOfAsync(banner =>
        {
            Assert.Contains("self-signed, reused", banner);
            return Task.CompletedTask;
        }, "--tls", "--urls", "https://127.0.0.1:0", "--mqtt-tls-port", "0");
        Assert.Equal(Fingerprint(first), Fingerprint(second));
    }

    [Fact]
    public async Task Serve_warns_in_its_banner_about_plain_listeners_on_every_interface()
    {
        var banner = await BannerOfAsync(_ => Task.CompletedTask,
            "--urls", "http://0.0.0.0:0", "--mqtt-bind", "0.0.0.0", "--mqtt-port", "0");

        Assert.Matches(@"warning\s+HTTP on http://0\.0\.0\.0:0 is not loopback and not TLS", banner);
        Assert.Matches(@"warning\s+MQTT on 0\.0\.0\.0:0 is not loopback and not TLS", banner);
    }

    private static string Fingerprint(string banner) => FingerprintLine().Match(banner).Groups[1].Value;

    /// <summary>Runs serve until its banner is out, hands the banner to <paramref name="check"/>, stops it.</summary>
    private async Task<string> BannerOfAsync(Func<string, Task> check, params string[] args)
    {
        var output = new StringWriter();
        var synchronizedOut = TextWriter.Synchronized(output);
        var errors = new StringWriter();
        using var stop = new CancellationTokenSource();
        var run = FleetCli.RunAsync(["serve", .. args, "--data-dir", _dir], synchronizedOut,
            TextWriter.Synchronized(errors), stop.Token);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!output.ToString().Contains("Press Ctrl+C", StringComparison.Ordinal))
        {
            Assert.False(run.IsCompleted, $"serve ended early: {output} {errors}");
            await timer.WaitForNextTickAsync(deadline.Token);
        }
        var banner = output.ToString();
        try
        {
            await check(banner);
        }
        finally
        {
            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        }
        return banner;
    }

    [GeneratedRegex(@"SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})")]
    private static partial Regex FingerprintLine();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
