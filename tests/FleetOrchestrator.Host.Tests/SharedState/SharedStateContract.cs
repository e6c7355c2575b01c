using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Host.SharedState;
using FleetOrchestrator.Host.Tests.Cluster;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetOrchestrator.Host.Tests.SharedState;

/// <summary>
/// Two orchestrators in one process, each with its own data directory, on one database (as <c>fleet serve</c> nodes
/// of a cluster): they sign with one key, grant downloads with one key, and serve the same artifacts and device
/// credentials, read from the database at request time. An older data directory's files are imported once.
/// Run on SQLite and on PostgreSQL; every test gets a database of its own.
/// </summary>
public abstract class SharedStateContract
{
    /// <summary>A new, empty database.</summary>
    protected abstract FleetPersistenceOptions FreshDatabase();

    [Fact]
    public async Task Two_nodes_sign_grant_and_serve_artifacts_and_credentials_from_one_database()
    {
        var database = FreshDatabase();
        var seedPort = FreePort.Next();
        // One after the other: a concurrent first start of the keys is
        // Concurrent_first_starts_store_one_key_and_one_registration_wins.
        await using var first = await StartNodeAsync(database, seedPort, seedPort);
        await using var second = await StartNodeAsync(database, 0, seedPort);
        var (firstSecrets, secondSecrets) = (Secrets(first), Secrets(second));
        Assert.Equal(firstSecrets.SigningKey.KeyId, secondSecrets.SigningKey.KeyId);
        Assert.Equal(firstSecrets.SigningKey.ExportPublicKeyPem(), secondSecrets.SigningKey.ExportPublicKeyPem());
        Assert.Equal(firstSecrets.GrantSecret, secondSecrets.GrantSecret);
        // Each node writes the one public key into its own data directory, for its devices.
        Assert.Equal(await File.ReadAllTextAsync(first.PublicKeyPath),
            await File.ReadAllTextAsync(second.PublicKeyPath));
        Assert.NotEqual(first.PublicKeyPath, second.PublicKeyPath);

        // Uploaded to node 1: node 2 lists it with the same signed manifest.
        var upload = await first.Operator.UploadAsync(SyntheticImage.Create(new SemanticVersion(1, 1, 0)), "1.1.0");
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;
        var onSecond = await second.Operator.GetJsonAsync($"/api/artifacts/{artifactId}");
        Assert.Equal(HttpStatusCode.OK, onSecond.Status);
        Assert.Equal(upload.Body.GetProperty("artifact").GetProperty("signedManifest").GetRawText(),
            onSecond.Body.GetProperty("signedManifest").GetRawText());

        // Registered through node 2: the device signs in on node 1's broker and downloads from node 1 with a grant
        // node 2 issued (one grant key), the image bytes that were uploaded to node 1.
        var secret = (await second.Operator.RegisterAsync("dev-shared-1")).Body.GetProperty("secret").GetString()!;
        Assert.True(await ConnectsAsync(first, "dev-shared-1", secret));
        var grantedBySecond = Urls(second).For("dev-shared-1", artifactId);
        var (status, bytes) = await DownloadAsync(first, grantedBySecond, "dev-shared-1", secret);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(SyntheticImage.Create(new SemanticVersion(1, 1, 0)), bytes);

        // Revoked through node 1: node 2 refuses the device on MQTT and on HTTP at once.
        Assert.Equal(HttpStatusCode.NoContent,
            (await first.Operator.SendAsync(HttpMethod.Delete, "/api/devices/dev-shared-1/credentials")).Status);
        Assert.False(await ConnectsAsync(second, "dev-shared-1", secret));
        Assert.Equal(CredentialCheck.UnknownUser,
            second.Host.Credentials.Verify("dev-shared-1", Encoding.UTF8.GetBytes(secret)));
        var grantedByFirst = Urls(first).For("dev-shared-1", artifactId);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await DownloadAsync(second, grantedByFirst, "dev-shared-1", secret)).Status);
        // A new secret after the revocation works everywhere, the old one nowhere.
        var renewed = (await second.Operator.RegisterAsync("dev-shared-1")).Body.GetProperty("secret").GetString()!;
        Assert.True(await ConnectsAsync(first, "dev-shared-1", renewed));
        Assert.False(await ConnectsAsync(first, "dev-shared-1", secret));

        // Deleted through node 2: node 1 no longer lists or serves it.
        Assert.Equal(HttpStatusCode.NoContent,
            (await second.Operator.SendAsync(HttpMethod.Delete, $"/api/artifacts/{artifactId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound,
            (await first.Operator.GetJsonAsync($"/api/artifacts/{artifactId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound,
            (await DownloadAsync(first, grantedByFirst, "dev-shared-1", renewed)).Status);
    }

    [Fact]
    public async Task An_older_data_directory_is_imported_once_and_nothing_of_it_is_lost()
    {
        var database = FreshDatabase();
        var directory = TestOrchestrator.NewDataDirectory();
        try
        {
            // What an older fleet serve left: key files, an operator key hash, a credential file, an artifact.
            const string operatorKey = "operator-key-of-an-older-deployment";
            var fileOptions = new FleetServerOptions
            {
                DataDirectory = directory,
                OperatorApiKeySha256 = null,
            };
            var old = ServerSecrets.LoadOrCreate(fileOptions, NullLogger.Instance);
            await File.WriteAllTextAsync(Path.Combine(directory, ServerSecrets.OperatorKeyHashFileName),
                OperatorApiKey.Sha256Hex(operatorKey) + "\n");
            var credentialFile = DeviceCredentialFile.InDataDirectory(directory);
            Assert.True(credentialFile.TryAdd("dev-old-1", "secret-of-dev-old-1", DateTimeOffset.UtcNow, out _));
            Assert.True(credentialFile.TryAdd("dev-old-2", "secret-of-dev-old-2", DateTimeOffset.UtcNow, out _));
            var files = new ArtifactStore(fileOptions.ResolveArtifactsDirectory());
            var uploaded = new ArtifactUploader(files, old.SigningKey, TimeProvider.System).Upload(new ArtifactUpload(
                "app.bin", SyntheticImage.Create(new SemanticVersion(1, 2, 0)), new SemanticVersion(1, 2, 0),
                "stm32l072cz", new SemanticVersion(1, 0, 0), DowngradeAllowed: false));
            var artifact = Assert.IsType<UploadOutcome.Stored>(uploaded).Artifact;

            Func<OrchestratorOptions, OrchestratorOptions> onDatabase = o => o with
            {
                Persistence = database,
                Server = o.Server with { OperatorApiKeySha256 = null },
            };
            await using (var fleet = await TestOrchestrator.StartAsync(directory, onDatabase))
            {
                var secrets = Secrets(fleet);
                Assert.Equal(old.SigningKey.KeyId, secrets.SigningKey.KeyId);
                Assert.Equal(old.GrantSecret, secrets.GrantSecret);
                Assert.Equal(3, secrets.Imported.Count);
                Assert.Equal(2, fleet.Host.Devices.ImportedAtStart);
                Assert.Equal(1, Store(fleet).LastImport!.Imported);

                using var admin = WithKey(fleet, operatorKey);
                Assert.Equal(HttpStatusCode.OK, (await admin.GetJsonAsync("/api/keys")).Status);
                Assert.True(await ConnectsAsync(fleet, "dev-old-1", "secret-of-dev-old-1"));
                var listed = await admin.GetJsonAsync($"/api/artifacts/{artifact.Id}");
                Assert.Equal(HttpStatusCode.OK, listed.Status);
                Assert.Equal(artifact.Manifest.SignatureBase64,
                    listed.Body.GetProperty("signedManifest").GetProperty("signatureBase64").GetString());
                Assert.Equal(SyntheticImage.Create(new SemanticVersion(1, 2, 0)), Store(fleet).ReadImage(artifact.Id));

                // Changed after the import: these must survive the next start as they are now.
                Assert.Equal(HttpStatusCode.NoContent,
                    (await admin.SendAsync(HttpMethod.Delete, "/api/devices/dev-old-2/credentials")).Status);
                Assert.Equal(HttpStatusCode.NoContent,
                    (await admin.SendAsync(HttpMethod.Delete, $"/api/artifacts/{artifact.Id}")).Status);
            }

            // The files are still there (nothing deleted), but a second start imports nothing again: the revoked
            // device stays revoked and the deleted artifact stays deleted.
            Assert.True(File.Exists(credentialFile.Path));
            Assert.True(Directory.Exists(Path.Combine(fileOptions.ResolveArtifactsDirectory(), artifact.Id)));
            await using (var again = await TestOrchestrator.StartAsync(directory, onDatabase))
            {
                using var admin = WithKey(again, operatorKey);
                Assert.Equal(0, again.Host.Devices.ImportedAtStart);
                Assert.Null(Store(again).LastImport);
                Assert.Empty(Secrets(again).Imported);
                Assert.True(await ConnectsAsync(again, "dev-old-1", "secret-of-dev-old-1"));
                Assert.False(await ConnectsAsync(again, "dev-old-2", "secret-of-dev-old-2"));
                Assert.Equal(HttpStatusCode.NotFound,
                    (await admin.GetJsonAsync($"/api/artifacts/{artifact.Id}")).Status);
                Assert.Equal(HttpStatusCode.OK, (await admin.GetJsonAsync("/api/keys")).Status);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Concurrent_first_starts_store_one_key_and_one_registration_wins()
    {
        var database = FreshDatabase();
        const int nodes = 8;
        using var start = new Barrier(nodes);
        var keys = await Task.WhenAll(Enumerable.Range(0, nodes).Select(n => Task.Run(() =>
        {
            var store = new DatabaseServerSecrets(database);
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            return store.GetOrAdd("race-key", () => $"value-of-node-{n}");
        })));
        Assert.Single(keys.Distinct());
        Assert.StartsWith("value-of-node-", keys[0], StringComparison.Ordinal);

        // What each node does at start, at once from four data directories: one signing key, one grant key.
        using var boot = new Barrier(4);
        var directories = Enumerable.Range(0, 4).Select(_ => TestOrchestrator.NewDataDirectory()).ToList();
        try
        {
            var secrets = await Task.WhenAll(directories.Select(directory => Task.Run(() =>
            {
                var shared = new DatabaseServerSecrets(database);
                boot.SignalAndWait(TimeSpan.FromSeconds(30));
                return ServerSecrets.LoadOrCreate(new FleetServerOptions { DataDirectory = directory },
                    NullLogger.Instance, shared);
            })));
            Assert.Single(secrets.Select(s => s.SigningKey.KeyId).Distinct());
            Assert.Single(secrets.Select(s => Convert.ToBase64String(s.GrantSecret)).Distinct());
            Assert.Single(secrets.Select(s => Convert.ToHexString(s.OperatorKey.Sha256())).Distinct());
        }
        finally
        {
            foreach (var directory in directories) Directory.Delete(directory, recursive: true);
        }

        using var register = new Barrier(nodes);
        var won = await Task.WhenAll(Enumerable.Range(0, nodes).Select(n => Task.Run(() =>
        {
            var credentials = new DatabaseDeviceCredentials(database);
            register.SignalAndWait(TimeSpan.FromSeconds(30));
            return credentials.TryAdd("dev-race", $"secret-{n}", DateTimeOffset.UtcNow, out _);
        })));
        Assert.Single(won, w => w);
    }

    [Fact]
    public async Task A_configured_signing_key_file_wins_over_the_database_key()
    {
        var database = FreshDatabase();
        var keyDirectory = TestOrchestrator.NewDataDirectory();
        try
        {
            var mounted = Firmware.Signing.ManifestSigningKey.Generate();
            var keyPath = Path.Combine(keyDirectory, "mounted.pem");
            await File.WriteAllTextAsync(keyPath, mounted.ExportPrivateKeyPem());
            await using var plain = await TestOrchestrator.StartAsync(adjust: o => o with { Persistence = database });
            await using var configured = await TestOrchestrator.StartAsync(adjust: o => o with
            {
                Persistence = database,
                Server = o.Server with { SigningKeyPath = keyPath },
            });
            Assert.Equal(mounted.ExportPublicKeyPem(), Secrets(configured).SigningKey.ExportPublicKeyPem());
            Assert.NotEqual(mounted.ExportPublicKeyPem(), Secrets(plain).SigningKey.ExportPublicKeyPem());

            // A configured file that is missing is an error, not a new per-node key.
            var missing = await Assert.ThrowsAnyAsync<Exception>(() => TestOrchestrator.StartAsync(adjust: o => o with
            {
                Persistence = database,
                Server = o.Server with { SigningKeyPath = Path.Combine(keyDirectory, "absent.pem") },
            }));
            Assert.Contains("absent.pem", missing.Message);
        }
        finally
        {
            Directory.Delete(keyDirectory, recursive: true);
        }
    }

    private static ServerSecrets Secrets(TestOrchestrator node) =>
        node.Host.Web.Services.GetRequiredService<ServerSecrets>();

    private static DownloadUrls Urls(TestOrchestrator node) =>
        node.Host.Web.Services.GetRequiredService<DownloadUrls>();

    private static ArtifactStore Store(TestOrchestrator node) =>
        node.Host.Web.Services.GetRequiredService<ArtifactStore>();

    private static Task<TestOrchestrator> StartNodeAsync(FleetPersistenceOptions database, int port, int seedPort) =>
        TestOrchestrator.StartAsync(adjust: o => o with
        {
            Persistence = database,
            Cluster = o.Cluster with { Port = port, SeedNodes = [$"127.0.0.1:{seedPort}"] },
            // A delete on one node is seen by the other at its next request; the window a node may serve a deleted
            // artifact in is DatabaseArtifactRepositoryTests'.
            ArtifactRecheckAfter = TimeSpan.Zero,
        });

    private static HttpClient WithKey(TestOrchestrator node, string key)
    {
        var client = new HttpClient { BaseAddress = node.Host.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<bool> ConnectsAsync(TestOrchestrator node, string deviceId, string secret)
    {
        var (host, port) = node.Host.BrokerEndpoint;
        await using var connection = new DeviceMqttConnection(new DeviceConnectionOptions(host, port, deviceId, secret),
            _ => Task.CompletedTask, null);
        return (await connection.ConnectAsync()).IsConnected;
    }

    /// <summary>The granted URL's path and query, sent to <paramref name="node"/> with the device's Basic
    /// credentials.</summary>
    private static async Task<(HttpStatusCode Status, byte[] Bytes)> DownloadAsync(TestOrchestrator node, Uri granted,
        string deviceId, string secret)
    {
        using var client = new HttpClient { BaseAddress = node.Host.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{deviceId}:{secret}")));
        using var response = await client.GetAsync(granted.PathAndQuery);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync());
    }
}
