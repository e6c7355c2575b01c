using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FleetOrchestrator.Server.Tests.Access;

/// <summary>
/// Records older than the retention are removed, and the trail says so in a record of its own; newer ones stay where
/// they were. The hourly pass runs on the host's clock.
/// </summary>
public sealed class AuditRetentionTests
{
    private static readonly DateTimeOffset Now = new(2027, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_older_than_the_retention_go_and_one_record_says_how_many_and_up_to_when()
    {
        var (audit, clock) = (new InMemoryAuditLog(), new FakeTimeProvider(Now));
        await AppendAsync(audit, Now.AddDays(-400), Now.AddDays(-366), Now.AddDays(-364), Now.AddDays(-1));
        var retention = Retention(audit, clock, TimeSpan.FromDays(365));

        Assert.Equal(2, await retention.PruneOnceAsync());

        var left = await AllAsync(audit);
        Assert.Equal([AuditRetention.PrunedAction, "sign-in", "sign-in"], left.Select(r => r.Action));
        Assert.Equal([Now, Now.AddDays(-1), Now.AddDays(-364)], left.Select(r => r.At));
        Assert.Equal(AuditRecord.Server, left[0].Actor);
        Assert.Equal("2 records from before 2026-06-01T12:00:00Z removed (retention 365 days)", left[0].Detail);
        // Nothing more to remove: no further record.
        Assert.Equal(0, await retention.PruneOnceAsync());
        Assert.Equal(3, (await AllAsync(audit)).Count);
    }

    [Fact]
    public async Task A_trail_larger_than_one_batch_is_cut_in_several_and_counted_once()
    {
        var (audit, clock) = (new InMemoryAuditLog(), new FakeTimeProvider(Now));
        await AppendAsync(audit, [.. Enumerable.Repeat(Now.AddDays(-30), AuditRetention.BatchSize + 5)]);

        var retention = Retention(audit, clock, TimeSpan.FromDays(7));
        Assert.Equal(AuditRetention.BatchSize + 5, await retention.PruneOnceAsync());
        Assert.Equal(AuditRetention.PrunedAction, Assert.Single(await AllAsync(audit)).Action);
    }

    [Fact]
    public async Task Without_a_retention_nothing_is_removed()
    {
        var (audit, clock) = (new InMemoryAuditLog(), new FakeTimeProvider(Now));
        await AppendAsync(audit, Now.AddYears(-10));

        Assert.Equal(0, await Retention(audit, clock, null).PruneOnceAsync());
        Assert.Single(await AllAsync(audit));
    }

    [Fact]
    public async Task The_service_removes_at_start_and_again_each_hour_on_the_clock()
    {
        var (audit, clock) = (new InMemoryAuditLog(), new FakeTimeProvider(Now));
        await AppendAsync(audit, Now.AddDays(-2));
        using var retention = Retention(audit, clock, TimeSpan.FromDays(1));
        await retention.StartAsync(CancellationToken.None);
        try
        {
            await UntilAsync(audit, r => r.All(x => x.At >= Now.AddDays(-1)));
            // Inside the retention now, outside it an hour later.
            await AppendAsync(audit, Now.AddHours(-23.5));
            clock.Advance(AuditRetention.Interval);
            await UntilAsync(audit, r => r.Count(x => x.Action == AuditRetention.PrunedAction) == 2);
            Assert.DoesNotContain(await AllAsync(audit), r => r.Action == "sign-in");
        }
        finally
        {
            await retention.StopAsync(CancellationToken.None);
        }
    }

    private static AuditRetention Retention(IAuditLog audit, TimeProvider clock, TimeSpan? keep) =>
        new(audit, new FleetServerOptions { AuditRetention = keep }, clock, NullLogger<AuditRetention>.Instance);

    private static async Task AppendAsync(IAuditLog audit, params DateTimeOffset[] times)
    {
        foreach (var at in times)
            await audit.AppendAsync(new AuditRecord(at, "mallory", null, "sign-in", "/api/keys", "10.0.0.9",
                AuditRecord.Refused, 401, null));
    }

    private static async Task<IReadOnlyList<AuditRecord>> AllAsync(IAuditLog audit) =>
        (await audit.QueryAsync(new AuditQuery(null, null, null, null, 100_000))).Items;

    /// <summary>The service works on its own task: wait, with a deadline, until the trail shows its pass.</summary>
    private static async Task UntilAsync(IAuditLog audit, Func<IReadOnlyList<AuditRecord>, bool> done)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!done(await AllAsync(audit))) await Task.Delay(10, deadline.Token);
    }
}
