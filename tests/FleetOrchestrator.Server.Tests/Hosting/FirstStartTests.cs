using System.Net;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Tests.Hosting;

/// <summary>What the server generates on its first start, and that a restart keeps it.</summary>
public sealed class FirstStartTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("fleet-first-start-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static FleetServerOptions NoConfiguredSecrets(FleetServerOptions o) =>
        o with { OperatorApiKeySha256 = null, DownloadGrantSecret = null };

    private static string PrintedOperatorKey(CapturingLoggerProvider logs) =>
        logs.Entries.SelectMany(e => e).Where(kv => kv.Key == "OperatorApiKey").Select(kv => (string)kv.Value!).Single();

    [Fact]
    public async Task The_printed_operator_key_works_and_keys_and_grants_survive_a_restart()
    {
        var logs = new CapturingLoggerProvider();
        string keyId, grantUrl, operatorKey, artifactId;
        await using (var first = await ServerHost.StartAsync(NoConfiguredSecrets, _dataDir, logs))
        {
            operatorKey = PrintedOperatorKey(logs);
            var secrets = first.App.Services.GetRequiredService<ServerSecrets>();
            keyId = secrets.SigningKey.KeyId;
            Assert.True(File.Exists(secrets.SigningKeyPath));
            Assert.True(File.Exists(secrets.PublicKeyPath));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secrets.SigningKeyPath));
            Assert.DoesNotContain(operatorKey, await File.ReadAllTextAsync(Path.Combine(_dataDir, ServerSecrets.OperatorKeyHashFileName)));

            using var upload = new HttpRequestMessage(HttpMethod.Post, "/api/artifacts?version=1.0.0&fileName=a.bin")
            {
                Content = new ByteArrayContent(TestImages.ValidBin(512, seed: 60)),
                Headers = { Authorization = ServerHost.Operator(operatorKey) },
            };
            using var uploaded = await first.Client.SendAsync(upload);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
            artifactId = first.Store.List().Single().Id;
            grantUrl = "/" + first.Grants.Issue(ServerHost.DeviceId, artifactId).RelativeUrl;
        }

        var secondLogs = new CapturingLoggerProvider();
        await using var second = await ServerHost.StartAsync(NoConfiguredSecrets, _dataDir, secondLogs);

        Assert.DoesNotContain(secondLogs.Entries.SelectMany(e => e), kv => kv.Key == "OperatorApiKey");
        Assert.Equal(keyId, second.App.Services.GetRequiredService<ServerSecrets>().SigningKey.KeyId);
        using var list = await second.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/artifacts") { Headers = { Authorization = ServerHost.Operator(operatorKey) } });
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var download = await second.Client.SendAsync(ServerHost.AsDevice(HttpMethod.Get, grantUrl));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(TestImages.ValidBin(512, seed: 60), await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_configured_key_hash_is_used_and_nothing_is_printed()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await ServerHost.StartAsync(dataDirectory: _dataDir, logs: logs);

        Assert.DoesNotContain(logs.Entries.SelectMany(e => e), kv => kv.Key == "OperatorApiKey");
        Assert.False(File.Exists(Path.Combine(_dataDir, ServerSecrets.OperatorKeyHashFileName)));
    }

    [Fact]
    public async Task Startup_names_the_ports_the_host_forgot_to_register()
    {
        var builder = FleetServer.CreateBuilder([], new FleetServerOptions { Urls = "http://127.0.0.1:0", DataDirectory = _dataDir });
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapFleetApi();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains(nameof(IFleetQueries), error.Message);
        Assert.Contains(nameof(IUpdateCommands), error.Message);
        Assert.Contains("IDeviceCredentialVerifier", error.Message);
        Assert.Contains(nameof(IArtifactReferences), error.Message);
    }

    [Fact]
    public void Options_bind_from_configuration_when_not_given()
    {
        var builder = FleetServer.CreateBuilder([
            "--Fleet:Server:DataDirectory=" + _dataDir,
            "--Fleet:Server:Urls=http://127.0.0.1:0",
            "--Fleet:Server:DownloadGrantLifetime=00:30:00",
            "--Fleet:Server:PublicBaseUrl=https://ota.example.com/fleet",
        ]);
        using var provider = builder.Services.BuildServiceProvider();
        var options = provider.GetRequiredService<FleetServerOptions>();

        Assert.Equal(_dataDir, options.DataDirectory);
        Assert.Equal(TimeSpan.FromMinutes(30), options.DownloadGrantLifetime);
        Assert.Equal(new Uri("https://ota.example.com/fleet"), options.PublicBaseUrl);
    }
}
