using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.Hosting;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

/// <summary>
/// PostgreSQL numbers a journal row when it is inserted and shows it when it commits, so a write that commits late
/// leaves a hole below rows already visible (a node starved in the middle of its transaction; seen for 4.8 s on a
/// loaded cluster). The saga feed must wait for it, not read past it: a device report lost there never reaches the
/// read model or its rollout. The late write is held open by hand here, on a real server.
/// </summary>
public sealed class PostgresFeedGapSpecs(PostgresFixture postgres, ITestOutputHelper output)
    : TestKit(output: output), IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Ask = TimeSpan.FromSeconds(20);
    // Longer than the plugin's default patience at our poll interval (10 polls of 200 ms), shorter than ours.
    private static readonly TimeSpan HeldOpen = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_device_event_that_commits_late_still_reaches_the_saga_feed_in_journal_order()
    {
        var persistence = FleetPersistenceOptions.Postgres(postgres.ConnectionString);
        Assert.True(persistence.FeedGapPatience >= HeldOpen * 2);
        var system = ActorSystem.Create("feed-gap",
            FleetHocon.Setup(FleetHocon.Compose(persistence, cluster: false), persistence));
        try
        {
            var settings = new DeviceActorSettings(new ProbeCommandSender(CreateTestProbe().Ref));
            await Announce(system, settings, "gap-first");
            var feed = CreateTestProbe();
            _ = SagaFeed.From(system, 0).RunWith(
                Sink.ForEach<DeviceFeedEvent>(e => feed.Tell(e.DeviceId)), system.Materializer());
            feed.ExpectMsg("gap-first", Ask);

            await using var late = new NpgsqlConnection(postgres.ConnectionString);
            await late.OpenAsync();
            await using var transaction = await late.BeginTransactionAsync();
            await CopyEventAsync(late, transaction, "device-gap-first", "device-gap-late");

            await Announce(system, settings, "gap-after");
            // The row above the hole is committed, yet the feed must hold it back while the hole may still fill.
            feed.ExpectNoMsg(HeldOpen);

            await transaction.CommitAsync();
            feed.ExpectMsg("gap-late", Ask);
            feed.ExpectMsg("gap-after", Ask);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task Announce(ActorSystem system, DeviceActorSettings settings, string deviceId)
    {
        var device = system.ActorOf(DeviceActor.PropsFor(deviceId, settings));
        device.Tell(new DevicePresenceReceived(deviceId, true));
        // Asked after the presence: the actor answers once that event is journaled.
        var view = await device.Ask<DeviceSagaView>(new GetDeviceSaga(deviceId), Ask);
        Assert.True(view.Online == true);
    }

    /// <summary>Inserts a copy of one journaled event (and its tags) under another persistence id, uncommitted.
    /// </summary>
    private static async Task CopyEventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string from, string to)
    {
        var ordering = (long)(await CopyRowAsync(connection, transaction, "journal", "sequence_number", from, to,
            "ordering", " RETURNING ordering"))!;
        Assert.True(ordering > 0);
        var tags = await CopyRowAsync(connection, transaction, "tags", "sequence_nr", from, to,
            "ordering_id", "", ordering);
        Assert.Null(tags);
    }

    /// <summary>
    /// Copies the row of <paramref name="from"/>'s first event in <paramref name="table"/>: persistence id replaced,
    /// sequence number 1, the ordering column left to the table's default (journal) or set to
    /// <paramref name="ordering"/> (tags). Column names come from the server, so a plugin upgrade that renames one
    /// fails here by name.
    /// </summary>
    private static async Task<object?> CopyRowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string table, string sequenceColumn, string from, string to, string orderingColumn, string returning,
        long? ordering = null)
    {
        var columns = new List<string>();
        await using (var names = new NpgsqlCommand(
            "SELECT column_name FROM information_schema.columns WHERE table_name = @table ORDER BY ordinal_position",
            connection, transaction))
        {
            names.Parameters.AddWithValue("table", table);
            await using var reader = await names.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                columns.Add(reader.GetString(0));
        }
        Assert.Contains("persistence_id", columns);
        Assert.Contains(sequenceColumn, columns);
        Assert.Contains(orderingColumn, columns);
        var target = columns.Where(c => ordering is not null || c != orderingColumn).ToList();
        var values = target.Select(c => c == "persistence_id" ? "@to"
            : c == sequenceColumn ? "1"
            : c == orderingColumn ? "@ordering"
            : $"\"{c}\"");
        var sql = $"INSERT INTO {table} ({string.Join(", ", target.Select(c => $"\"{c}\""))}) " +
                  $"SELECT {string.Join(", ", values)} FROM {table} WHERE persistence_id = @from " +
                  $"AND {sequenceColumn} = 1{returning}";
        await using var insert = new NpgsqlCommand(sql, connection, transaction);
        insert.Parameters.AddWithValue("from", from);
        insert.Parameters.AddWithValue("to", to);
        if (ordering is { } value)
            insert.Parameters.AddWithValue("ordering", value);
        if (returning.Length > 0)
            return await insert.ExecuteScalarAsync();
        Assert.True(await insert.ExecuteNonQueryAsync() > 0);
        return null;
    }
}
