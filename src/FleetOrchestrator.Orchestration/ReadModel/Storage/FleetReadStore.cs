using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.Rollouts.Planning;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;

namespace FleetOrchestrator.Orchestration.ReadModel.Storage;

/// <summary>
/// The fleet read model's rows and its journal offset, in the orchestrator's own database (tables
/// <c>fleet_devices</c> and <c>projection_offsets</c>, beside the journal). One projector writes
/// (<see cref="FleetView"/>);
/// anyone reads, on the caller's thread, with SQL on indexed columns: no actor holds the fleet in memory, and a
/// restart resumes from the stored offset instead of replaying the journal from the start.
/// </summary>
public sealed class FleetReadStore
{
    /// <summary>The projection's row in <c>projection_offsets</c>.</summary>
    public const string ProjectionId = "fleet-view";

    private readonly DataOptions _data;
    private readonly bool _postgres;
    private readonly Lazy<Task> _schema;

    public FleetReadStore(FleetPersistenceOptions persistence)
    {
        _data = FleetDataOptions.Create(persistence);
        _postgres = persistence.Database == FleetDatabase.Postgres;
        _schema = new Lazy<Task>(() => Task.Run(CreateSchema), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Where the projection stands: the journal offset to resume after, and the events applied so far.
    /// </summary>
    public Task<ProjectionPosition> PositionAsync(CancellationToken cancellationToken = default) =>
        PositionOfAsync(ProjectionId, cancellationToken);

    /// <summary>
    /// Where another consumer of the saga feed stands (its own row in <c>projection_offsets</c>, e.g.
    /// <c>"rollout-router"</c>): the offset to resume after and the events it has handled.
    /// </summary>
    public async Task<ProjectionPosition> PositionOfAsync(string projectionId,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectionId);
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var stored = await db.GetTable<ProjectionOffsetRecord>().Where(p => p.ProjectionId == projectionId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return new ProjectionPosition(stored?.Offset ?? 0, stored?.EventsApplied ?? 0);
    }

    /// <summary>
    /// Stores another consumer's position, after it has done what the events up to it ask (at-least-once: a crash
    /// before this resumes at the previous position). Not for <see cref="ProjectionId"/>, which
    /// <see cref="ApplyAsync"/> writes with its rows.
    /// </summary>
    public async Task StorePositionAsync(string projectionId, ProjectionPosition position,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectionId);
        if (projectionId == ProjectionId)
            throw new ArgumentException($"'{ProjectionId}' is written by ApplyAsync with its rows",
                nameof(projectionId));
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await db.InsertOrReplaceAsync(new ProjectionOffsetRecord
        {
            ProjectionId = projectionId, Offset = position.Offset, EventsApplied = position.EventsApplied,
        }, token: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies one batch of device events and stores the batch's last offset in the same transaction: a crash
    /// between two batches loses nothing and applies nothing twice. Events at or below a row's stored sequence number
    /// are duplicates (a resumed query may repeat the last one) and are skipped.
    /// </summary>
    public async Task<ProjectionPosition> ApplyAsync(IReadOnlyList<DeviceFeedEvent> batch,
        CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        if (batch.Count == 0) return await PositionAsync(cancellationToken).ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = batch.Select(e => e.DeviceId).Distinct(StringComparer.Ordinal).ToList();
        var stored = await db.GetTable<FleetDeviceRecord>().Where(r => ids.Contains(r.DeviceId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var rows = stored.ToDictionary(r => r.DeviceId, r => (Row: r.ToRow(), r.SequenceNr), StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var applied = 0;
        foreach (var e in batch)
        {
            var has = rows.TryGetValue(e.DeviceId, out var current);
            if (has && e.SequenceNr <= current.SequenceNr) continue;
            var row = has ? current.Row : FleetDeviceRow.Empty(e.DeviceId, e.Event.At);
            rows[e.DeviceId] = (FleetProjection.Apply(row, e.Event), e.SequenceNr);
            changed.Add(e.DeviceId);
            applied++;
        }
        if (_postgres)
            await PostgresFleetDeviceUpsert.UpsertAsync(db,
                [.. changed.Select(id => FleetDeviceRecord.From(rows[id].Row, rows[id].SequenceNr))],
                cancellationToken).ConfigureAwait(false);
        else
            foreach (var id in changed)
                await db.InsertOrReplaceAsync(FleetDeviceRecord.From(rows[id].Row, rows[id].SequenceNr),
                        token: cancellationToken)
                    .ConfigureAwait(false);
        var previous = await db.GetTable<ProjectionOffsetRecord>().Where(p => p.ProjectionId == ProjectionId)
            .Select(p => p.EventsApplied).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var position = new ProjectionPosition(batch.Max(e => e.Offset), previous + applied);
        await db.InsertOrReplaceAsync(new ProjectionOffsetRecord
        {
            ProjectionId = ProjectionId, Offset = position.Offset, EventsApplied = position.EventsApplied,
        }, token: cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return position;
    }

    /// <summary>The rollout list's row in <c>projection_offsets</c>.</summary>
    public const string RolloutListProjectionId = "rollout-list";

    /// <summary>
    /// Applies one batch of rollout events to the <c>rollouts</c> table and stores the batch's last offset under
    /// <see cref="RolloutListProjectionId"/> in the same transaction (as <see cref="ApplyAsync"/> does for devices).
    /// </summary>
    public async Task<ProjectionPosition> ApplyRolloutsAsync(IReadOnlyList<RolloutFeedEvent> batch,
        CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        if (batch.Count == 0)
            return await PositionOfAsync(RolloutListProjectionId, cancellationToken).ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = batch.Select(e => e.RolloutId).Distinct(StringComparer.Ordinal).ToList();
        var stored = await db.GetTable<RolloutRecord>().Where(r => ids.Contains(r.RolloutId))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var rows = stored.ToDictionary(r => r.RolloutId, r => (Row: (RolloutListRow?)r.ToRow(), r.SequenceNr),
            StringComparer.Ordinal);
        var changed = new HashSet<string>(StringComparer.Ordinal);
        var applied = 0;
        foreach (var e in batch)
        {
            var has = rows.TryGetValue(e.RolloutId, out var current);
            if (has && e.SequenceNr <= current.SequenceNr) continue;
            var row = RolloutListProjection.Apply(has ? current.Row : null, e.RolloutId, e.Event);
            rows[e.RolloutId] = (row, e.SequenceNr);
            changed.Add(e.RolloutId);
            applied++;
        }
        foreach (var id in changed)
        {
            if (rows[id].Row is { } row)
                await db.InsertOrReplaceAsync(RolloutRecord.From(row, rows[id].SequenceNr), token: cancellationToken)
                    .ConfigureAwait(false);
        }
        var previous = await db.GetTable<ProjectionOffsetRecord>().Where(p => p.ProjectionId == RolloutListProjectionId)
            .Select(p => p.EventsApplied).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        var position = new ProjectionPosition(batch.Max(e => e.Offset), previous + applied);
        await db.InsertOrReplaceAsync(new ProjectionOffsetRecord
        {
            ProjectionId = RolloutListProjectionId, Offset = position.Offset, EventsApplied = position.EventsApplied,
        }, token: cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return position;
    }

    /// <summary>Every rollout the list projection has seen start, newest first.</summary>
    public async Task<IReadOnlyList<RolloutListRow>> ListRolloutsAsync(CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var records = await db.GetTable<RolloutRecord>().OrderByDescending(r => r.StartedTicks)
            .ThenBy(r => r.RolloutId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => r.ToRow())];
    }

    /// <summary>The devices matching <paramref name="filter"/>, ordered by id (ordinal), one page.</summary>
    public async Task<FleetQueryResult> QueryAsync(FleetFilter filter, CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var matches = Where(db.GetTable<FleetDeviceRecord>(), filter);
        var total = await matches.CountAsync(cancellationToken).ConfigureAwait(false);
        var page = await OrderById(matches).Skip(Math.Max(0, filter.Skip)).Take(Math.Max(0, filter.Take))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var applied = await EventsAppliedAsync(db, cancellationToken);
        return new FleetQueryResult(page.Select(r => r.ToRow()).ToList(), total, applied);
    }

    /// <summary>The id of every device the journal has mentioned (every row).</summary>
    public async Task<IReadOnlySet<string>> DeviceIdsAsync(CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var ids = await db.GetTable<FleetDeviceRecord>().Select(r => r.DeviceId).ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return ids.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>One device's row, or null when the journal never mentioned it.</summary>
    public async Task<FleetDeviceRow?> GetAsync(string deviceId, CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var record = await db.GetTable<FleetDeviceRecord>().Where(r => r.DeviceId == deviceId)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return record?.ToRow();
    }

    /// <summary>Counts by running version, phase and outcome, grouped by the database.</summary>
    public async Task<FleetSummary> SummaryAsync(FleetFilter? filter = null,
        CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var rows = Where(db.GetTable<FleetDeviceRecord>(), filter ?? FleetFilter.All);
        var total = await rows.CountAsync(cancellationToken).ConfigureAwait(false);
        var versions = await rows.Where(r => r.RunningVersion != null).GroupBy(r => r.RunningVersion)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var phases = await rows.GroupBy(r => r.Phase).Select(g => new { g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = await rows.Where(r => r.Outcome != null).GroupBy(r => r.Outcome)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new FleetSummary(
            total,
            versions.ToDictionary(v => v.Key!, v => v.Count),
            phases.ToDictionary(p => Enum.Parse<Devices.SagaPhase>(p.Key), p => p.Count),
            outcomes.ToDictionary(o => Enum.Parse<Devices.UpdateOutcome>(o.Key!), o => o.Count),
            await EventsAppliedAsync(db, cancellationToken));
    }

    /// <summary>
    /// Replaces a device's tags (an empty map removes them all). Tag names and values are stored as given.
    /// </summary>
    public async Task SetTagsAsync(string deviceId, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await db.GetTable<DeviceTagRecord>().Where(t => t.DeviceId == deviceId).DeleteAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var (tag, value) in tags)
            await db.InsertAsync(new DeviceTagRecord { DeviceId = deviceId, Tag = tag, Value = value },
                    token: cancellationToken)
                .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the tags of many devices in one transaction (a provisioning batch, a simulated population).
    /// </summary>
    public async Task SetTagsAsync(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> tagsByDevice,
        CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (deviceId, tags) in tagsByDevice)
        {
            await db.GetTable<DeviceTagRecord>().Where(t => t.DeviceId == deviceId).DeleteAsync(cancellationToken)
                .ConfigureAwait(false);
            foreach (var (tag, value) in tags)
                await db.InsertAsync(new DeviceTagRecord { DeviceId = deviceId, Tag = tag, Value = value },
                    token: cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every device as a rollout plan sees it: its row and its tags (the dry run's, the start's and the
    /// joiner check's input).</summary>
    public async Task<IReadOnlyList<PlanCandidate>> PlanCandidatesAsync(CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(FleetFilter.All, cancellationToken).ConfigureAwait(false);
        var tags = await TagsOfAsync(null, cancellationToken).ConfigureAwait(false);
        var none = new Dictionary<string, string>();
        return [.. rows.Devices.Select(r => new PlanCandidate(r, tags.GetValueOrDefault(r.DeviceId) ?? none))];
    }

    /// <summary>The tags of the given devices (devices without tags are absent from the answer).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>> TagsOfAsync(
        IReadOnlyCollection<string>? deviceIds = null, CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var query = db.GetTable<DeviceTagRecord>().AsQueryable();
        if (deviceIds is not null)
        {
            var ids = deviceIds.ToList();
            query = query.Where(t => ids.Contains(t.DeviceId));
        }
        var rows = await query.ToListAsync(cancellationToken).ConfigureAwait(false);
        return rows.GroupBy(t => t.DeviceId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, string>)g.ToDictionary(t => t.Tag, t => t.Value, StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>Devices whose saga targets <paramref name="artifactId"/> and has started but not finished.</summary>
    public async Task<int> CountUnfinishedSagasForArtifactAsync(string artifactId,
        CancellationToken cancellationToken = default)
    {
        await _schema.Value.ConfigureAwait(false);
        await using var db = new DataConnection(_data);
        var idle = nameof(Devices.SagaPhase.None);
        var done = nameof(Devices.SagaPhase.Completed);
        return await db.GetTable<FleetDeviceRecord>()
            .Where(r => r.TargetArtifactId == artifactId && r.Phase != idle && r.Phase != done)
            .CountAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<long> EventsAppliedAsync(DataConnection db, CancellationToken cancellationToken) =>
        await db.GetTable<ProjectionOffsetRecord>().Where(p => p.ProjectionId == ProjectionId)
            .Select(p => p.EventsApplied)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

    private static IQueryable<FleetDeviceRecord> Where(IQueryable<FleetDeviceRecord> rows, FleetFilter filter)
    {
        if (filter.RunningVersion is { } version)
        {
            var text = version.ToString();
            rows = rows.Where(r => r.RunningVersion == text);
        }
        if (filter.Phase is { } phase)
        {
            var text = phase.ToString();
            rows = rows.Where(r => r.Phase == text);
        }
        if (filter.Outcome is { } outcome)
        {
            var text = outcome.ToString();
            rows = rows.Where(r => r.Outcome == text);
        }
        if (filter.Online is { } online) rows = rows.Where(r => r.Online == online);
        if (filter.RolloutId is { } rollout) rows = rows.Where(r => r.RolloutId == rollout);
        if (filter.UpdateId is { } update) rows = rows.Where(r => r.UpdateId == update);
        if (filter.HardwareTarget is { } target)
        {
            var lower = target.ToLowerInvariant();
            rows = rows.Where(r => r.HardwareTarget == lower);
        }
        return rows;
    }

    /// <summary>Ordinal order on both databases (PostgreSQL's default collation would sort by locale).</summary>
    private IQueryable<FleetDeviceRecord> OrderById(IQueryable<FleetDeviceRecord> rows) => _postgres
        ? rows.OrderBy(r => Sql.Collate(r.DeviceId, "C"))
        : rows.OrderBy(r => r.DeviceId);

    /// <summary>
    /// The shape of <c>fleet_devices</c>. A database whose rows were written in another shape has its rows dropped and
    /// the projection's offset reset, so the projector rebuilds them from the journal once (a projection is derived
    /// data; tags and other projections' offsets are kept).
    /// </summary>
    public const int SchemaVersion = 2;

    private const string SchemaRow = "fleet-view-schema";

    private void CreateSchema()
    {
        using var db = new DataConnection(_data);
        db.CreateTable<ProjectionOffsetRecord>(tableOptions: TableOptions.CreateIfNotExists);
        var stored = db.GetTable<ProjectionOffsetRecord>().Where(p => p.ProjectionId == SchemaRow)
            .Select(p => (long?)p.Offset)
            .FirstOrDefault();
        if (stored != SchemaVersion)
        {
            db.DropTable<FleetDeviceRecord>(throwExceptionIfNotExists: false);
            db.GetTable<ProjectionOffsetRecord>().Where(p => p.ProjectionId == ProjectionId).Delete();
            db.InsertOrReplace(new ProjectionOffsetRecord { ProjectionId = SchemaRow, Offset = SchemaVersion });
        }
        db.CreateTable<FleetDeviceRecord>(tableOptions: TableOptions.CreateIfNotExists);
        db.CreateTable<DeviceTagRecord>(tableOptions: TableOptions.CreateIfNotExists);
        db.CreateTable<RolloutRecord>(tableOptions: TableOptions.CreateIfNotExists);
        db.Execute("CREATE INDEX IF NOT EXISTS device_tags_tag_value ON device_tags (tag, value)");
        // The filters the API and rollouts use; device_id is the primary key.
        string[] filtered = ["running_version", "phase", "outcome", "rollout_id", "update_id", "hardware_target"];
        foreach (var column in filtered)
            db.Execute($"CREATE INDEX IF NOT EXISTS fleet_devices_{column} ON fleet_devices ({column})");
    }
}
