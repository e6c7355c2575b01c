using FleetOrchestrator.Host.Access;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Access;

namespace FleetOrchestrator.Host.Tests.Access;

/// <summary>
/// What the database stores of keys and the audit trail must do, run on SQLite and on PostgreSQL: each test gets
/// empty tables.
/// </summary>
public abstract class AccessStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);

    protected abstract FleetPersistenceOptions Persistence { get; }

    /// <summary>Empties api_keys and audit_records (they exist: the stores were used once).</summary>
    protected abstract Task EmptyTablesAsync();

    private DatabaseApiKeyStore Keys { get; set; } = null!;
    private DatabaseAuditLog Audit { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Keys = new DatabaseApiKeyStore(Persistence);
        Audit = new DatabaseAuditLog(Persistence);
        await Keys.ListAsync();
        await Audit.QueryAsync(new AuditQuery(null, null, null, null, 1));
        await EmptyTablesAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static StoredApiKey Key(string id, string name, OperatorRole role, int minute = 0) =>
        new(id, name, role, [1, 2, 3], [4, 5, 6, 7], T0.AddMinutes(minute), "tester", null);

    [Fact]
    public async Task A_key_is_stored_found_and_listed_as_given()
    {
        var key = Key("0123456789ab", "ci-bot", OperatorRole.Operator);
        Assert.True(await Keys.TryAddAsync(key));
        var found = await Keys.FindAsync(key.Id);
        Assert.NotNull(found);
        Assert.Equal((key.Id, key.Name, key.Role, key.CreatedAt, key.CreatedBy, key.RevokedAt),
            (found.Id, found.Name, found.Role, found.CreatedAt, found.CreatedBy, found.RevokedAt));
        Assert.Equal(key.Salt, found.Salt);
        Assert.Equal(key.Hash, found.Hash);
        Assert.Null(await Keys.FindAsync("ffffffffffff"));
        Assert.False(await Keys.TryAddAsync(Key("0123456789ac", "ci-bot", OperatorRole.Viewer)));
        Assert.False(await Keys.TryAddAsync(Key("0123456789ab", "other", OperatorRole.Viewer)));
        Assert.Equal(["0123456789ab"], (await Keys.ListAsync()).Select(k => k.Id));
    }

    [Fact]
    public async Task Revocation_refuses_the_last_admin_and_reports_unknown_and_repeated_revocations()
    {
        await Keys.TryAddAsync(Key("a1", "first-admin", OperatorRole.Admin));
        await Keys.TryAddAsync(Key("v1", "viewer", OperatorRole.Viewer, 1));
        Assert.Equal(KeyRevocation.LastAdmin, await Keys.RevokeAsync("a1", T0));
        Assert.Equal(KeyRevocation.Revoked, await Keys.RevokeAsync("v1", T0.AddHours(1)));
        Assert.Equal(KeyRevocation.AlreadyRevoked, await Keys.RevokeAsync("v1", T0.AddHours(2)));
        Assert.Equal(KeyRevocation.Unknown, await Keys.RevokeAsync("nope", T0));
        Assert.Equal(T0.AddHours(1), (await Keys.FindAsync("v1"))!.RevokedAt);
        Assert.Null((await Keys.FindAsync("a1"))!.RevokedAt);
        // A revoked key's name is free again.
        Assert.True(await Keys.TryAddAsync(Key("v2", "viewer", OperatorRole.Viewer, 2)));
    }

    [Fact]
    public async Task Concurrent_revocations_of_every_admin_leave_one()
    {
        for (var i = 0; i < 6; i++) await Keys.TryAddAsync(Key($"a{i}", $"admin-{i}", OperatorRole.Admin, i));
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            Keys.RevokeAsync($"a{i}", T0))));
        Assert.Equal(5, outcomes.Count(o => o == KeyRevocation.Revoked));
        Assert.Equal(1, outcomes.Count(o => o == KeyRevocation.LastAdmin));
        Assert.Single(await Keys.ListAsync(), k => k.RevokedAt is null);
    }

    [Fact]
    public async Task Replace_overwrites_a_key_whatever_its_state()
    {
        await Keys.TryAddAsync(Key("bootstrap", "bootstrap-admin", OperatorRole.Admin));
        await Keys.TryAddAsync(Key("a2", "admin-2", OperatorRole.Admin));
        await Keys.RevokeAsync("bootstrap", T0);
        await Keys.ReplaceAsync(Key("bootstrap", "bootstrap-admin", OperatorRole.Admin, 9) with { Hash = [9] });
        var replaced = await Keys.FindAsync("bootstrap");
        Assert.Equal((T0.AddMinutes(9), (DateTimeOffset?)null), (replaced!.CreatedAt, replaced.RevokedAt));
        Assert.Equal([9], replaced.Hash);
    }

    [Fact]
    public async Task The_audit_trail_is_read_newest_first_filtered_and_paged()
    {
        string[] actions = ["rollouts.pause", "rollouts.resume", "keys.create", "rollouts.pause", "sign-in"];
        for (var i = 0; i < 10; i++)
            await Audit.AppendAsync(new AuditRecord(T0.AddMinutes(i), i % 2 == 0 ? "alice" : "bob", "operator",
                actions[i % actions.Length], $"/api/x/{i}", "127.0.0.1", "ok", 200, i == 3 ? "note" : null));

        var all = await Audit.QueryAsync(new AuditQuery(null, null, null, null, 100));
        Assert.Equal(Enumerable.Range(0, 10).Reverse().Select(i => $"/api/x/{i}"), all.Items.Select(r => r.Target));
        Assert.Null(all.NextBefore);
        Assert.Equal(new AuditRecord(T0.AddMinutes(3), "bob", "operator", "rollouts.pause", "/api/x/3", "127.0.0.1",
            "ok", 200, "note"), all.Items[6]);

        var rollouts = await Audit.QueryAsync(new AuditQuery(T0.AddMinutes(2), "alice", "rollouts", null, 100));
        Assert.Equal(["/api/x/8", "/api/x/6"], rollouts.Items.Select(r => r.Target));

        var paged = new List<string>();
        long? before = null;
        do
        {
            var slice = await Audit.QueryAsync(new AuditQuery(null, null, "rollouts.pause", before, 2));
            paged.AddRange(slice.Items.Select(r => r.Target));
            before = slice.NextBefore;
        }
        while (before is not null);
        Assert.Equal(["/api/x/8", "/api/x/5", "/api/x/3", "/api/x/0"], paged);
    }

    [Fact]
    public async Task Records_before_a_cutoff_are_removed_oldest_first_in_bounded_steps_and_the_rest_keep_their_place()
    {
        for (var i = 0; i < 6; i++)
            await Audit.AppendAsync(new AuditRecord(T0.AddDays(i), "alice", "operator", "sign-in", $"/api/x/{i}",
                "127.0.0.1", "refused", 401, null));
        var before = await Audit.QueryAsync(new AuditQuery(null, null, null, null, 100));

        Assert.Equal(3, await Audit.DeleteBeforeAsync(T0.AddDays(4), 3));
        Assert.Equal(1, await Audit.DeleteBeforeAsync(T0.AddDays(4), 3));
        Assert.Equal(0, await Audit.DeleteBeforeAsync(T0.AddDays(4), 3));

        var after = await Audit.QueryAsync(new AuditQuery(null, null, null, null, 100));
        Assert.Equal(["/api/x/5", "/api/x/4"], after.Items.Select(r => r.Target));
        // A cursor taken before the cut still pages from where it was.
        var page = await Audit.QueryAsync(new AuditQuery(null, null, null, before.NextBefore ?? long.MaxValue, 1));
        Assert.Equal("/api/x/5", page.Items.Single().Target);
    }
}
