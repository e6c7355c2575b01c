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
/// </summary>
public sealed class DatabaseArtifactRepository : IArtifactRepository
{
    private readonly DataOptions _data;
    private readonly Lazy<bool> _schema;

    public DatabaseArtifactRepository(FleetPersistenceOptions persistence)
    {
        ArgumentNullException.ThrowIfNull(persistence);
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
        _ = _schema.Value;
        using var db = new DataConnection(_data);
        var row = db.GetTable<ArtifactRecord>().Where(a => a.Id == id).Select(a => new { a.Metadata, a.Manifest })
            .FirstOrDefault();
        return row is null ? null : ToArtifact(row.Metadata, row.Manifest);
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
        return db.GetTable<ArtifactRecord>().Where(a => a.Id == id).Delete() > 0;
    }

    private static StoredArtifact ToArtifact(string metadata, string manifest) => new(
        JsonSerializer.Deserialize<ArtifactMetadata>(metadata, FleetJson.Options)
            ?? throw new InvalidDataException("an artifacts row has empty metadata"),
        SignedManifestFile.FromJson(manifest));

    private bool CreateSchema() => SharedSchema.Create<ArtifactRecord>(_data);
}
