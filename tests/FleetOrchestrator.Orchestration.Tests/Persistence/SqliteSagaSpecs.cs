using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Serialization;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

public sealed class SqliteSagaSpecs(ITestOutputHelper output) : TestKit(output: output), IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-sqlite-").FullName;

    [Fact]
    public async Task A_saga_on_a_SQLite_file_recovers_in_a_second_actor_system_and_finishes()
    {
        var file = Path.Combine(_folder, "fleet.db");
        var persistence = FleetPersistenceOptions.Sqlite(file);
        await DurableSagaScenario.RunAsync(persistence, CreateTestProbe());

        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode;"));

        // Our serializer, our short manifests: never a CLR type name in the journal.
        var manifests = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT DISTINCT manifest, identifier FROM journal WHERE persistence_id LIKE 'device-%'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                manifests.Add(reader.GetString(0));
                Assert.Equal(FleetSerializer.Id, reader.GetInt32(1));
            }
        }
        Assert.Contains("ur", manifests);
        Assert.Contains("bc", manifests);
        Assert.Contains("us", manifests);
        Assert.All(manifests, m => Assert.True(FleetSerializer.Id > 100 && FleetManifests.ByManifest.ContainsKey(m), m));

        // Every device event is tagged for the read model; the snapshot went through the fleet serializer too.
        Assert.Equal(Scalar(connection, "SELECT COUNT(*) FROM journal WHERE persistence_id LIKE 'device-%'"),
            Scalar(connection, "SELECT COUNT(*) FROM tags WHERE tag = 'fleet-device'"));
        Assert.NotEqual("0", Scalar(connection, "SELECT COUNT(*) FROM snapshot WHERE manifest = 'ds'"));
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    public new void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
