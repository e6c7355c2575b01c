using System.Security.Cryptography;
using System.Text;
using FleetOrchestrator.Host.Provisioning;
using FleetOrchestrator.Mqtt.Security;

namespace FleetOrchestrator.Host.Tests.Provisioning;

/// <summary>The registry keeps the credential file, the live store and (external broker) Mosquitto's password file in step.</summary>
public sealed class DeviceRegistryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-registry-").FullName;

    [Fact]
    public void Register_and_revoke_keep_the_mosquitto_password_file_in_step()
    {
        var passwd = Path.Combine(_directory, "mosquitto.passwd");
        File.WriteAllText(passwd, "fleet-orchestrator:$7$101$c2FsdA==$aGFzaA==\n");
        var store = new HashedCredentialStore("fleet-orchestrator", "svc");
        var registry = new DeviceRegistry(DeviceCredentialFile.InDataDirectory(_directory), store, TimeProvider.System, passwd);

        var secret = registry.Register("mq-1")!;
        Assert.Equal(CredentialCheck.Device, store.Verify("mq-1", Encoding.UTF8.GetBytes(secret)));
        var line = File.ReadAllLines(passwd).Single(l => l.StartsWith("mq-1:", StringComparison.Ordinal));
        Assert.True(MosquittoLineAccepts(line, secret), $"'{line}' does not verify the issued secret the way Mosquitto does");
        Assert.False(MosquittoLineAccepts(line, secret + "x"));
        Assert.Contains("fleet-orchestrator:", File.ReadAllText(passwd));

        Assert.True(registry.Revoke("mq-1"));
        Assert.DoesNotContain("mq-1:", File.ReadAllText(passwd));
        Assert.Contains("fleet-orchestrator:", File.ReadAllText(passwd));
        Assert.Equal(CredentialCheck.UnknownUser, store.Verify("mq-1", Encoding.UTF8.GetBytes(secret)));
        Assert.False(registry.Revoke("mq-1"));
    }

    /// <summary>Mosquitto 2's check of a <c>$7$iterations$salt$hash</c> line: PBKDF2-HMAC-SHA512 over the password.</summary>
    private static bool MosquittoLineAccepts(string line, string password)
    {
        var parts = line[(line.IndexOf(':') + 1)..].Split('$');
        var (iterations, salt, hash) = (int.Parse(parts[2]), Convert.FromBase64String(parts[3]), Convert.FromBase64String(parts[4]));
        var candidate = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, hash.Length);
        return CryptographicOperations.FixedTimeEquals(candidate, hash);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
