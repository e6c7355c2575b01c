using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Tests.Persistence;
using FleetOrchestrator.Orchestration.Tests.Support;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Orchestration.Tests.ReadModel;

/// <summary>
/// The read model's rows on PostgreSQL, where a batch is written by one multi-row upsert
/// (<see cref="PostgresFleetDeviceUpsert"/>) instead of linq2db's row-by-row InsertOrReplace: the same batches give the
/// same rows, every column, as on SQLite (the row-by-row path), new rows and replaced ones alike.
/// </summary>
public sealed class FleetReadStorePostgresSpecs(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-read-store-pg-").FullName;
    private long _offset;

    [Fact]
    public async Task Batches_upserted_on_PostgreSQL_give_the_rows_SQLite_gives_and_resume_after_their_offset()
    {
        var first = new List<DeviceFeedEvent>();
        foreach (var id in new[] { "dev-a", "dev-b", "dev-c" })
        {
            first.Add(Feed(id, 1, new DevicePresenceObserved(T0, true)));
            first.Add(Feed(id, 2, new DeviceStateObserved(T0.AddSeconds(1), 1, Fleet.Report(Fleet.Old))));
        }
        first.Add(Feed("dev-b", 3, new UpdateRequested(T0.AddSeconds(2), "u-1", "r-1", Fleet.Target(), Fleet.Policy(),
            "u-1-check", T0.AddMinutes(10))));
        // The second batch repeats the first one's last event (a resumed query does), replaces rows and adds one.
        var second = new List<DeviceFeedEvent>
        {
            first[^1],
            Feed("dev-a", 3, new DeviceStateObserved(T0.AddSeconds(3), 2, Fleet.Report(Fleet.New))),
            Feed("dev-c", 3, new DevicePresenceObserved(T0.AddSeconds(4), false)),
            Feed("dev-d", 1, new DevicePresenceObserved(T0.AddSeconds(5), true)),
        };
        var sqlite = new FleetReadStore(FleetPersistenceOptions.Sqlite(Path.Combine(_folder, "fleet.db")));
        var pg = new FleetReadStore(FleetPersistenceOptions.Postgres(postgres.ConnectionString));

        Assert.Equal(await sqlite.ApplyAsync(first), await pg.ApplyAsync(first));
        var reopened = new FleetReadStore(FleetPersistenceOptions.Postgres(postgres.ConnectionString));
        var position = await reopened.ApplyAsync(second);

        Assert.Equal(await sqlite.ApplyAsync(second), position);
        Assert.Equal(new ProjectionPosition(10, 10), position);
        var rows = (await reopened.QueryAsync(FleetFilter.All)).Devices;
        Assert.Equal((await sqlite.QueryAsync(FleetFilter.All)).Devices, rows);
        Assert.Equal(["dev-a", "dev-b", "dev-c", "dev-d"], rows.Select(r => r.DeviceId));
        var a = rows[0];
        Assert.Equal((Fleet.New, true, Fleet.Hardware()), (a.RunningVersion, a.Online, a.Hardware));
        Assert.Equal((SagaPhase.CheckingVersion, "r-1"), (rows[1].Phase, rows[1].RolloutId));
        Assert.Equal(false, rows[2].Online);
        Assert.Null(rows[3].RunningVersion);
    }

    private DeviceFeedEvent Feed(string deviceId, long sequenceNr, IDeviceActorEvent e) =>
        new(deviceId, sequenceNr, ++_offset, e);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
