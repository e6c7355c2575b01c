using System.Text;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Mqtt.Tests.Security;

public sealed class HashedCredentialStoreTests
{
    private static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Devices_and_the_service_are_told_apart_and_wrong_or_unknown_secrets_are_refused()
    {
        var store = new HashedCredentialStore("svc", "service-pw");
        store.AddDevice("dev-a", "secret-a");

        Assert.Equal(CredentialCheck.Device, store.Verify("dev-a", Bytes("secret-a")));
        Assert.Equal(CredentialCheck.BadSecret, store.Verify("dev-a", Bytes("secret-b")));
        Assert.Equal(CredentialCheck.BadSecret, store.Verify("dev-a", []));
        Assert.Equal(CredentialCheck.UnknownUser, store.Verify("dev-b", Bytes("secret-a")));
        Assert.Equal(CredentialCheck.Service, store.Verify("svc", Bytes("service-pw")));
        Assert.Equal(CredentialCheck.BadSecret, store.Verify("svc", Bytes("secret-a")));
    }

    [Fact]
    public void A_device_not_in_memory_is_looked_up_in_the_shared_store_at_every_check()
    {
        var shared = new Dictionary<string, SaltedSecretHash>();
        var store = new HashedCredentialStore("svc", "service-pw", new Lookup(shared));
        Assert.Equal(CredentialCheck.UnknownUser, store.Verify("dev-shared", Bytes("s")));
        Assert.False(store.ContainsDevice("dev-shared"));

        // Registered elsewhere (another node): known at the next check, without telling this store.
        shared["dev-shared"] = SaltedSecretHash.Create(Bytes("s"));
        Assert.Equal(CredentialCheck.Device, store.Verify("dev-shared", Bytes("s")));
        Assert.Equal(CredentialCheck.BadSecret, store.Verify("dev-shared", Bytes("t")));
        Assert.True(store.ContainsDevice("dev-shared"));

        // Revoked elsewhere: refused at the next check.
        shared.Remove("dev-shared");
        Assert.Equal(CredentialCheck.UnknownUser, store.Verify("dev-shared", Bytes("s")));
        // A user name that is no device id never reaches the shared store.
        Assert.Equal(CredentialCheck.UnknownUser, store.Verify("no/device", Bytes("s")));
        Assert.Equal(CredentialCheck.Service, store.Verify("svc", Bytes("service-pw")));
    }

    private sealed class Lookup(Dictionary<string, SaltedSecretHash> hashes) : IDeviceCredentialLookup
    {
        public SaltedSecretHash? Find(string deviceId)
        {
            Assert.Null(Protocol.Validation.WireIdentifiers.DescribeDeviceIdProblem(deviceId));
            return hashes.GetValueOrDefault(deviceId);
        }
    }

    [Fact]
    public void A_removed_device_becomes_unknown_and_a_rekeyed_device_accepts_only_its_new_secret()
    {
        var store = new HashedCredentialStore("svc", "service-pw");
        store.AddDevice("dev-a", "old");
        store.AddDevice("dev-b", "b");

        store.AddDevice("dev-a", "new");
        store.RemoveDevice("dev-b");

        Assert.Equal(CredentialCheck.BadSecret, store.Verify("dev-a", Bytes("old")));
        Assert.Equal(CredentialCheck.Device, store.Verify("dev-a", Bytes("new")));
        Assert.Equal(CredentialCheck.UnknownUser, store.Verify("dev-b", Bytes("b")));
    }

    [Theory]
    [InlineData("dev/a")]
    [InlineData("dev+a")]
    [InlineData("dev#")]
    [InlineData("")]
    [InlineData("svc")]
    public void An_id_that_cannot_be_a_topic_level_or_collides_with_the_service_is_refused(string id)
    {
        var store = new HashedCredentialStore("svc", "service-pw");

        Assert.Throws<ArgumentException>(() => store.AddDevice(id, "secret"));
    }

    [Fact]
    public void Two_hashes_of_one_secret_differ_by_salt_but_both_match()
    {
        var one = SaltedSecretHash.Create(Bytes("s"));
        var two = SaltedSecretHash.Create(Bytes("s"));

        Assert.True(one.Matches(Bytes("s")));
        Assert.True(two.Matches(Bytes("s")));
        Assert.False(one.Matches(Bytes("S")));
    }

    [Fact]
    public void Derived_device_secrets_are_reproducible_per_device_and_differ_between_devices()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        Assert.Equal(DeviceSecrets.Derive(key, "dev-a"), DeviceSecrets.Derive(key, "dev-a"));
        Assert.NotEqual(DeviceSecrets.Derive(key, "dev-a"), DeviceSecrets.Derive(key, "dev-b"));
        Assert.NotEqual(DeviceSecrets.Generate(), DeviceSecrets.Generate());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", DeviceSecrets.Derive(key, "dev-a"));
    }
}
