using System.Collections.Concurrent;
using System.Text.Json;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Json;
using LinqToDB;
using LinqToDB.Data;

namespace FleetOrchestrator.Host.SharedState;

/// <summary>
/// <see cref="IArtifactRepository"/> in the orchestrator's database (table <c>artifacts</c>), so every node lists and
/// serves the same artifacts. An insert that finds the id taken loses cleanly (<c>ON CONFLICT DO NOTHING</c>):
/// the id is the SHA-256 of the bytes and target, so the row already there holds the same image.
/// Every device download request asks <see cref="Find"/> (a 10,000-device rollout asked 240,000 times, each a blocking
/// round trip: on PostgreSQL most of the gap to SQLite). So a row seen within <see cref="DefaultRecheckAfter"/> is
/// answered from memory; after that <see cref="Find"/> reads only the row's upload time (a compiled query) and parses
/// the metadata and manifest again only for a row it has not seen (a delete and re-upload changes the time). A delete
/// through this node is seen at once, one through another node within the window: the id is the SHA-256 of the bytes,
/// so what is served meanwhile is never other bytes than the manifest promises.
/// </summary>
public sealed class DatabaseArtifactRepository : IArtifactRepository
{
    private readonly DataOptions _data;
    private readonly Lazy<bool> _schema;
    private readonly ConcurrentDictionary<string, (long UploadedTicks, StoredArtifact Artifact, long CheckedAt)>
        _parsed = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _recheckAfter;

    /// <summary>How long a row once read is served without asking the database again.</summary>
    public static readonly TimeSpan DefaultRecheckAfter = TimeSpan.FromSeconds(5);

    private static readonly Func<DataConnection, string, long?> UploadedTicksOf = CompiledQuery.Compile(
        (DataConnection db, string id) => db.GetTable<ArtifactRecord>().Where(a => a.Id == id)
            .Select(a => (long?)a.UploadedTicks).FirstOrDefault());

    public DatabaseArtifactRepository(FleetPersistenceOptions persistence, TimeProvider? time = null,
        TimeSpan? recheckAfter = null)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        if (recheckAfter < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(recheckAfter), recheckAfter, "must not be negative");
        _time = time ?? TimeProvider.System;
        _recheckAfter = recheckAfter ?? DefaultRecheckAfter;
        _data = FleetDataOptions.Create(persistence);
        _schema = new Lazy<bool>(CreateSchema, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public IReadOnlyList<StoredArtifact> List()
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        return [.. db.GetTable<ArtifactRecord>().Select(a => new { a.Metadata, a.Manifest }).AsEnumerable()
            .Select(a => ToArtifact(a.Metadata, a.Manifest))];
    }

    public StoredArtifact? Find(string id)
    {
        var known = _parsed.TryGetValue(id, out var seen) ? seen : default;
        if (known.Artifact is not null && _time.GetElapsedTime(known.CheckedAt) < _recheckAfter) return known.Artifact;
        _ = _schema.Value;
        var checkedAt = _time.GetTimestamp();
        using var db = new DataConnection(_data);
        if (UploadedTicksOf(db, id) is not { } ticks)
        {
            _parsed.TryRemove(id, out _);
            return null;
        }
        if (known.Artifact is not null && known.UploadedTicks == ticks)
        {
            _parsed[id] = known with { CheckedAt = checkedAt };
            return known.Artifact;
        }
        var row = db.GetTable<ArtifactRecord>().Where(a => a.Id == id)
            .Select(a => new { a.Metadata, a.Manifest, a.UploadedTicks }).FirstOrDefault();
        if (row is null) return null;
        var artifact = ToArtifact(row.Metadata, row.Manifest);
        _parsed[id] = (row.UploadedTicks, artifact, checkedAt);
        return artifact;
    }

    public byte[]? ReadImage(string id)
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        return db.GetTable<ArtifactRecord>().Where(a => a.Id == id).Select(a => a.Image).FirstOrDefault();
    }

    public bool TryAdd(StoredArtifact artifact, ReadOnlySpan<byte> image)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        return db.Execute(
            "INSERT INTO artifacts (id, metadata, manifest, image, uploaded_ticks) " +
            "VALUES (@id, @metadata, @manifest, @image, @ticks) ON CONFLICT (id) DO NOTHING",
            new DataParameter("id", artifact.Id, DataType.NVarChar),
            new DataParameter("metadata", JsonSerializer.Serialize(artifact.Metadata, FleetJson.Options),
                DataType.NVarChar),
            new DataParameter("manifest", SignedManifestFile.ToJson(artifact.Manifest), DataType.NVarChar),
            new DataParameter("image", image.ToArray(), DataType.VarBinary),
            new DataParameter("ticks", artifact.Metadata.UploadedAt.UtcTicks, DataType.Int64)) == 1;
    }

    public bool Delete(string id)
    {
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        var deleted = db.GetTable<ArtifactRecord>().Where(a => a.Id == id).Delete() > 0;
        // After the delete: a Find between the two must not cache the row again.
        _parsed.TryRemove(id, out _);
        return deleted;
    }

    private static StoredArtifact ToArtifact(string metadata, string manifest) => new(
        JsonSerializer.Deserialize<ArtifactMetadata>(metadata, FleetJson.Options)
            ?? throw new InvalidDataException("an artifacts row has empty metadata"),
        SignedManifestFile.FromJson(manifest));

    private bool CreateSchema() => SharedSchema.Create<ArtifactRecord>(_data);
}
