using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Orchestration.Tests.Support;
using FleetOrchestrator.Protocol.Messages;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Orchestration.Tests.ReadModel;

/// <summary>
/// The read model's tables on their own (SQLite file, no actor system): batches are applied once, with their offset,
/// and survive a new store on the same file; filters, paging, ordinal order and counts are answered by SQL.
/// </summary>
public sealed class FleetReadStoreSpecs : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("fleet-read-store-").FullName;
    private long _offset;

    private FleetPersistenceOptions Database => FleetPersistenceOptions.Sqlite(Path.Combine(_folder, "fleet.db"));

    [Fact]
    public async Task A_batch_is_stored_with_its_offset_and_a_new_store_on_the_file_resumes_after_it()
    {
        var store = new FleetReadStore(Database);
        Assert.Equal(new ProjectionPosition(0, 0), await store.PositionAsync());
        var first = new[] { Feed("a", 1, Online(true)), Feed("a", 2, State(Fleet.Old)), Feed("b", 1, Online(true)) };
        var position = await store.ApplyAsync(first);
        Assert.Equal(new ProjectionPosition(3, 3), position);

        var reopened = new FleetReadStore(Database);
        Assert.Equal(position, await reopened.PositionAsync());
        // The resumed query repeats the last event of the batch: it is recognised by its sequence number.
        var next = await reopened.ApplyAsync([first[^1], Feed("b", 2, State(Fleet.New))]);
        Assert.Equal(new ProjectionPosition(4, 4), next);
        var b = await reopened.GetAsync("b");
        Assert.Equal((Fleet.New, true), (b!.RunningVersion, b.Online));
    }

    [Fact]
    public async Task Filters_pages_and_counts_are_answered_by_the_database_in_ordinal_order()
    {
        var store = new FleetReadStore(Database);
        var ids = new[] { "dev-B", "dev-a", "dev-10", "dev-2" };
        var batch = new List<DeviceFeedEvent>();
        foreach (var id in ids)
        {
            batch.Add(Feed(id, 1, Online(id != "dev-2")));
            batch.Add(Feed(id, 2, State(id == "dev-a" ? Fleet.New : Fleet.Old)));
        }
        batch.Add(Feed("dev-10", 3, new UpdateRequested(T0, "u-1", "r-1", Fleet.Target(), Fleet.Policy(), "u-1-check",
            T0.AddMinutes(10))));
        await store.ApplyAsync(batch);

        var all = await store.QueryAsync(FleetFilter.All);
        Assert.Equal(["dev-10", "dev-2", "dev-B", "dev-a"], all.Devices.Select(d => d.DeviceId));
        Assert.Equal(9, all.EventsApplied);
        var page = await store.QueryAsync(new FleetFilter { Skip = 1, Take = 2 });
        Assert.Equal(4, page.Total);
        Assert.Equal(["dev-2", "dev-B"], page.Devices.Select(d => d.DeviceId));
        Assert.Equal(["dev-a"], (await store.QueryAsync(new FleetFilter { RunningVersion = Fleet.New })).Devices.Select(d => d.DeviceId));
        Assert.Equal(["dev-2"], (await store.QueryAsync(new FleetFilter { Online = false })).Devices.Select(d => d.DeviceId));
        Assert.Equal(["dev-10"], (await store.QueryAsync(new FleetFilter { RolloutId = "r-1", Phase = SagaPhase.CheckingVersion }))
            .Devices.Select(d => d.DeviceId));
        Assert.Equal(4, (await store.QueryAsync(new FleetFilter { HardwareTarget = "STM32L072CZ" })).Total);

        var summary = await store.SummaryAsync();
        Assert.Equal(4, summary.Devices);
        Assert.Equal(3, summary.ByRunningVersion[Fleet.Old.ToString()]);
        Assert.Equal(1, summary.ByPhase[SagaPhase.CheckingVersion]);
        Assert.Equal(3, summary.ByPhase[SagaPhase.None]);
        Assert.Empty(summary.ByOutcome);
        Assert.Null(await store.GetAsync("never-heard-of"));
    }

    [Fact]
    public async Task Tags_are_set_per_device_and_replaced_whole_and_the_rows_keep_the_hardware_facts()
    {
        var store = new FleetReadStore(Database);
        await store.ApplyAsync([Feed("a", 1, State(Fleet.Old))]);
        await store.SetTagsAsync("a", new Dictionary<string, string> { ["region"] = "eu", ["cell"] = "c-7" });
        await store.SetTagsAsync(new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["b"] = new Dictionary<string, string> { ["region"] = "us" },
        });
        await store.SetTagsAsync("a", new Dictionary<string, string> { ["region"] = "uk" });

        var tags = await store.TagsOfAsync();
        Assert.Equal(new Dictionary<string, string> { ["region"] = "uk" }, tags["a"]);
        Assert.Equal("us", tags["b"]["region"]);
        Assert.Equal(Fleet.Hardware(), (await store.GetAsync("a"))!.Hardware);
    }

    [Fact]
    public async Task Rows_of_an_older_shape_are_dropped_and_rebuilt_from_the_journal_while_tags_stay()
    {
        var store = new FleetReadStore(Database);
        await store.ApplyAsync([Feed("a", 1, State(Fleet.Old))]);
        await store.SetTagsAsync("a", new Dictionary<string, string> { ["region"] = "eu" });
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "fleet.db")}"))
        {
            connection.Open();
            using var older = connection.CreateCommand();
            older.CommandText = "UPDATE projection_offsets SET journal_offset = 1 WHERE projection_id = 'fleet-view-schema'";
            Assert.Equal(1, older.ExecuteNonQuery());
        }

        var reopened = new FleetReadStore(Database);

        Assert.Equal(new ProjectionPosition(0, 0), await reopened.PositionAsync());
        Assert.Null(await reopened.GetAsync("a"));
        Assert.Equal("eu", (await reopened.TagsOfAsync(["a"]))["a"]["region"]);
    }

    private DeviceFeedEvent Feed(string deviceId, long sequenceNr, IDeviceActorEvent e) => new(deviceId, sequenceNr, ++_offset, e);

    private static DevicePresenceObserved Online(bool online) => new(T0, online);

    private static DeviceStateObserved State(Firmware.Versioning.SemanticVersion running) => new(T0, 1, Fleet.Report(running));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
