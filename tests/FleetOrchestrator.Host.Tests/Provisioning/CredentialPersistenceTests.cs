using System.Net;
using System.Text;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;

namespace FleetOrchestrator.Host.Tests.Provisioning;

/// <summary>Credentials issued over the API outlive the process, and the file that keeps them holds no secret.</summary>
public sealed class CredentialPersistenceTests
{
    [Fact]
    public async Task Credentials_survive_a_restart_and_the_file_holds_no_plaintext_secret()
    {
        var directory = TestOrchestrator.NewDataDirectory();
        try
        {
            string kept, revoked;
            await using (var first = await TestOrchestrator.StartAsync(directory))
            {
                kept = (await first.Operator.RegisterAsync("persist-1")).Body.GetProperty("secret").GetString()!;
                revoked = (await first.Operator.RegisterAsync("persist-2")).Body.GetProperty("secret").GetString()!;
                Assert.Equal(HttpStatusCode.NoContent, (await first.Operator.SendAsync(HttpMethod.Delete, "/api/devices/persist-2/credentials")).Status);
            }

            var path = Path.Combine(directory, "device-credentials.json");
            var text = await File.ReadAllTextAsync(path);
            Assert.Contains("persist-1", text);
            Assert.DoesNotContain("persist-2", text);
            Assert.DoesNotContain(kept, text);
            Assert.DoesNotContain(revoked, text);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(kept)), text);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

            await using var second = await TestOrchestrator.StartAsync(directory);
            Assert.Equal(1, second.Host.ProvisionedAtStart);
            Assert.Equal(CredentialCheck.Device, second.Host.Credentials.Verify("persist-1", Encoding.UTF8.GetBytes(kept)));
            Assert.Equal(CredentialCheck.UnknownUser, second.Host.Credentials.Verify("persist-2", Encoding.UTF8.GetBytes(revoked)));
            Assert.Equal(HttpStatusCode.Conflict, (await second.Operator.RegisterAsync("persist-1")).Status);

            // The broker itself admits the device after the restart, and refuses the revoked one.
            var (host, port) = second.Host.BrokerEndpoint;
            await using var admitted = new DeviceMqttConnection(new DeviceConnectionOptions(host, port, "persist-1", kept), _ => Task.CompletedTask, null);
            Assert.True((await admitted.ConnectAsync()).IsConnected);
            await using var refused = new DeviceMqttConnection(new DeviceConnectionOptions(host, port, "persist-2", revoked), _ => Task.CompletedTask, null);
            var outcome = await refused.ConnectAsync();
            Assert.False(outcome.IsConnected);
            Assert.Equal("BadUserNameOrPassword", outcome.ResultCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
