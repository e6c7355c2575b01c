using System.Net;
using System.Text;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Mqtt.Security;
using FleetOrchestrator.Simulation.Links.DeviceMqtt;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Host.Tests.Provisioning;

/// <summary>Credentials issued over the API outlive the process, and the database that keeps them holds no
/// secret.</summary>
public sealed class CredentialPersistenceTests
{
    [Fact]
    public async Task Credentials_survive_a_restart_and_the_database_holds_no_plaintext_secret()
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

            // The record is the database's device_credentials: salted hashes; the revoked device's row is kept
            // with its revocation time (so no older credential file can bring it back).
            var rows = await CredentialRowsAsync(Path.Combine(directory, "fleet.db"));
            Assert.Equal(["persist-1|active", "persist-2|revoked"], rows.Select(r => r.Summary).Order());
            foreach (var secret in new[] { kept, revoked })
            {
                Assert.DoesNotContain(rows, r => r.Text.Contains(secret, StringComparison.Ordinal));
                Assert.DoesNotContain(rows, r => r.Text.Contains(
                    Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), StringComparison.Ordinal));
            }
            Assert.False(File.Exists(Path.Combine(directory, "device-credentials.json")));

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
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<List<(string Summary, string Text)>> CredentialRowsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT device_id, salt, hash, registered_ticks, revoked_ticks FROM device_credentials";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync())
        {
            var text = string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetValue(i)}"));
            rows.Add(($"{reader.GetString(0)}|{(reader.IsDBNull(4) ? "active" : "revoked")}", text));
        }
        return rows;
    }
}
