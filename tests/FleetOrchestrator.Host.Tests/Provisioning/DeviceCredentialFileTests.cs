using System.Text;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Host.Tests.Provisioning;

/// <summary>The credential file on its own: round trip, concurrent writers, and damaged files refused with where and why.</summary>
public sealed class DeviceCredentialFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-credfile-").FullName;
    private string FilePath => Path.Combine(_directory, DeviceCredentialFile.DefaultFileName);

    [Fact]
    public void An_added_device_loads_into_a_store_that_accepts_its_secret_and_nothing_else()
    {
        var file = DeviceCredentialFile.InDataDirectory(_directory);
        Assert.True(file.TryAdd("dev-a", "secret-a", DateTimeOffset.UnixEpoch, out _));
        Assert.False(file.TryAdd("dev-a", "secret-b", DateTimeOffset.UnixEpoch, out _));

        var store = new HashedCredentialStore("svc", "svc-secret");
        Assert.Equal(1, new DeviceCredentialFile(FilePath).LoadInto(store));
        Assert.Equal(CredentialCheck.Device, store.Verify("dev-a", "secret-a"u8));
        Assert.Equal(CredentialCheck.BadSecret, store.Verify("dev-a", "secret-b"u8));
        Assert.DoesNotContain("secret-a", File.ReadAllText(FilePath));
    }

    [Fact]
    public async Task Two_writers_at_once_lose_no_entry()
    {
        // Two instances stand for `fleet serve` and an offline `fleet devices add` on the same file.
        var a = new DeviceCredentialFile(FilePath);
        var b = new DeviceCredentialFile(FilePath);
        await Task.WhenAll(
            Task.Run(() => { for (int i = 0; i < 40; i++) a.TryAdd($"a-{i}", "s", DateTimeOffset.UnixEpoch, out _); }),
            Task.Run(() => { for (int i = 0; i < 40; i++) b.TryAdd($"b-{i}", "s", DateTimeOffset.UnixEpoch, out _); }));
        Assert.Equal(80, a.Load().Count);
    }

    [Fact]
    public void A_removed_device_is_gone_and_a_second_remove_says_so()
    {
        var file = new DeviceCredentialFile(FilePath);
        file.TryAdd("dev-r", "s", DateTimeOffset.UnixEpoch, out _);
        Assert.True(file.Remove("dev-r"));
        Assert.False(file.Remove("dev-r"));
        Assert.Empty(file.Load());
    }

    [Theory]
    [InlineData("{ not json", "not a device credential file")]
    [InlineData("{\"format\":2,\"devices\":[]}", "format 2")]
    [InlineData("{\"format\":1}", "no \"devices\" list")]
    [InlineData("{\"format\":1,\"devices\":[{\"deviceId\":\"a/b\",\"saltBase64\":\"AAAAAAAAAAAAAAAAAAAAAA==\",\"hashBase64\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"registeredAt\":\"2026-01-01T00:00:00Z\"}]}", "devices[0]")]
    [InlineData("{\"format\":1,\"devices\":[{\"deviceId\":\"ok-1\",\"saltBase64\":\"short\",\"hashBase64\":\"AAAA\",\"registeredAt\":\"2026-01-01T00:00:00Z\"}]}", "devices[0]: device 'ok-1'")]
    public void A_damaged_file_is_refused_naming_the_file_and_the_problem(string content, string expected)
    {
        File.WriteAllText(FilePath, content);
        var error = Assert.Throws<DeviceCredentialFileException>(() => new DeviceCredentialFile(FilePath).Load());
        Assert.Contains(FilePath, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_service_identity_is_refused_before_the_file_is_written()
    {
        var file = DeviceCredentialFile.InDataDirectory(_directory);
        var error = Assert.Throws<ArgumentException>(() => file.TryAdd("fleet-orchestrator", "s",
            DateTimeOffset.UnixEpoch, out _));
        Assert.Contains("reserved", error.Message);
        Assert.False(File.Exists(FilePath));
    }

    [Fact]
    public void A_service_identity_entry_left_by_an_older_version_is_skipped_at_load_and_can_be_revoked()
    {
        var file = DeviceCredentialFile.InDataDirectory(_directory);
        Assert.True(file.TryAdd("dev-a", "secret-a", DateTimeOffset.UnixEpoch, out _));
        // What the older version wrote when it registered the service identity: an entry like any other.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(FilePath))!;
        var devices = json["devices"]!.AsArray();
        var reserved = devices[0]!.DeepClone();
        reserved["deviceId"] = "fleet-orchestrator";
        devices.Add(reserved);
        File.WriteAllText(FilePath, json.ToJsonString());

        var store = new HashedCredentialStore("fleet-orchestrator", "svc-secret");
        Assert.Equal(1, file.LoadInto(store));
        Assert.Equal(CredentialCheck.Device, store.Verify("dev-a", "secret-a"u8));

        Assert.True(file.Remove("fleet-orchestrator"));
        Assert.Equal(["dev-a"], file.Load().Select(e => e.DeviceId));
    }

    [Fact]
    public void A_damaged_file_is_not_overwritten_by_an_add()
    {
        File.WriteAllText(FilePath, "{ damaged");
        Assert.Throws<DeviceCredentialFileException>(() => new DeviceCredentialFile(FilePath).TryAdd("dev-x", "s", DateTimeOffset.UnixEpoch, out _));
        Assert.Equal("{ damaged", File.ReadAllText(FilePath));
    }

    [Fact]
    public void A_mosquitto_password_line_is_replaced_and_other_users_are_kept()
    {
        var passwd = Path.Combine(_directory, "passwd");
        File.WriteAllText(passwd, "fleet-orchestrator:$7$101$abc$def\ndev-m:$7$101$old$old\n");
        MosquittoPasswordUpdate.Upsert(passwd, "dev-m", "new-secret");
        var lines = File.ReadAllLines(passwd);
        Assert.Equal(2, lines.Length);
        Assert.Equal("fleet-orchestrator:$7$101$abc$def", lines[0]);
        Assert.StartsWith("dev-m:$7$101$", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("$old$old", lines[1]);
        Assert.DoesNotContain("new-secret", File.ReadAllText(passwd, Encoding.UTF8));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
