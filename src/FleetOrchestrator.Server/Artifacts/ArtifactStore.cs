using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Server.Json;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>
/// Content-addressed artifact store on disk: <c>{root}/{sha256}/image.bin</c>, <c>manifest.json</c> (the signed
/// manifest) and <c>metadata.json</c>.
/// </summary>
/// <remarks>
/// Crash safety: an artifact is assembled in <c>{root}/.incoming/{random}/</c>, every file flushed to disk, and only
/// then the directory is renamed to its id. A rename within one file system is atomic, so a reader sees either no
/// artifact or a complete one; leftovers of an interrupted upload stay in <c>.incoming</c> and are removed at the
/// next start. Artifacts are immutable once stored: an id names exactly one set of bytes forever. A delete moves the
/// directory into <c>.incoming</c> first, so it too is seen whole or not at all.
/// Integrity: every image is checked (size and SHA-256 against its metadata and manifest) when the store opens, and
/// again whenever its file's length or write time changed since (<see cref="DamageOf"/>); a damaged image is never
/// served. Reasons never contain server paths: they reach API responses.
/// Shared: opened over an <see cref="IArtifactRepository"/> (the database), the store keeps no files; every call asks
/// the repository whether the artifact exists, so a node serves what another node uploaded and stops serving what
/// another node deleted. Image bytes and integrity verdicts are cached by id: an id names one set of bytes forever.
/// </remarks>
public sealed class ArtifactStore
{
    public const string ImageFileName = "image.bin";
    public const string ManifestFileName = "manifest.json";
    public const string MetadataFileName = "metadata.json";
    private const string IncomingDirectoryName = ".incoming";

    private readonly ConcurrentDictionary<string, StoredArtifact> _index = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IntegrityCheck> _checks = new(StringComparer.Ordinal);
    private readonly ArtifactImageCache _images;
    private readonly Lock _writeLock = new();
    private readonly IArtifactRepository? _repository;

    /// <summary>Opens (creating if needed) the store under <paramref name="rootDirectory"/> and discards half-written uploads.</summary>
    public ArtifactStore(string rootDirectory, long hotCacheBytes = 64L * 1024 * 1024)
    {
        RootDirectory = Path.GetFullPath(rootDirectory);
        _images = new ArtifactImageCache(hotCacheBytes);
        Directory.CreateDirectory(RootDirectory);
        DiscardedIncompleteUploads = DiscardIncoming();
        foreach (var dir in Directory.EnumerateDirectories(RootDirectory))
        {
            var id = Path.GetFileName(dir);
            if (ArtifactIds.IsValid(id) && TryLoad(id) is { } artifact) _index[id] = artifact;
        }
        foreach (var id in _index.Keys) DamageOf(id);
    }

    /// <summary>
    /// Opens the store over a repository that every node shares. Each image is checked (size and SHA-256) the first
    /// time it is read from the repository, and the bytes served are the bytes checked.
    /// </summary>
    public ArtifactStore(IArtifactRepository repository, long hotCacheBytes = 64L * 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(repository);
        _repository = repository;
        _images = new ArtifactImageCache(hotCacheBytes);
        RootDirectory = "";
    }

    /// <summary>The directory of a file store; empty for a store over a shared repository.</summary>
    public string RootDirectory { get; }

    /// <summary>What opening the shared store imported from the data directory's files; null when nothing
    /// ran.</summary>
    public ArtifactImportResult? LastImport { get; internal set; }

    /// <summary>True when the artifacts live in a shared repository rather than in files.</summary>
    public bool IsShared => _repository is not null;

    /// <summary>How many half-written uploads the last open found and removed.</summary>
    public int DiscardedIncompleteUploads { get; }

    /// <summary>Bytes of image data currently held in memory.</summary>
    internal long CachedImageBytes => _images.TotalBytes;

    /// <summary>Test seam: called after each file of a new artifact is written, before the artifact becomes visible.</summary>
    internal Action<string>? AfterIncomingFileWritten { get; set; }

    /// <summary>Every stored artifact, newest upload first.</summary>
    public IReadOnlyList<StoredArtifact> List() =>
        [.. (_repository?.List() ?? (IEnumerable<StoredArtifact>)_index.Values)
            .OrderByDescending(a => a.Metadata.UploadedAt).ThenBy(a => a.Id, StringComparer.Ordinal)];

    /// <summary>The artifact with this id, or null (also for ids that are not SHA-256 digests).</summary>
    public StoredArtifact? Get(string id)
    {
        if (!ArtifactIds.IsValid(id)) return null;
        if (_repository is not null) return _repository.Find(id);
        if (_index.TryGetValue(id, out var known)) return known;
        // Another process sharing the directory may have stored it since we opened.
        if (TryLoad(id) is { } loaded) return _index.GetOrAdd(id, loaded);
        return null;
    }

    /// <summary>
    /// The image bytes, from memory when hot. Null for an unknown artifact. Throws <see
    /// cref="ArtifactDamagedException"/>
    /// when the file on disk no longer matches its metadata, so a damaged image is never served.
    /// </summary>
    public byte[]? ReadImage(string id)
    {
        if (Get(id) is not { } artifact) return null;
        if (_repository is not null) return ReadSharedImage(artifact);
        if (DamageOf(id) is { } problem) throw new ArtifactDamagedException(id, problem);
        return _images.GetOrLoad(id, LoadVerifiedImage);
    }

    /// <summary>
    /// Null when the artifact's image on disk matches its size and SHA-256, otherwise why not (without server paths).
    /// Re-reads the image only when its file changed (length or write time) since the last check; null for an unknown
    /// id. </summary>
    public string? DamageOf(string id)
    {
        if (Get(id) is not { } artifact) return null;
        if (_repository is not null) return SharedDamageOf(artifact);
        var file = new FileInfo(ImagePath(id));
        if (!file.Exists) return Record(id, new IntegrityCheck(-1, default, "its image file is missing"));
        if (_checks.TryGetValue(id, out var known) && known.Length == file.Length
            && known.WrittenUtc == file.LastWriteTimeUtc)
            return known.Problem;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Record(id, new IntegrityCheck(file.Length, file.LastWriteTimeUtc,
                $"its image file cannot be read ({e.GetType().Name})"));
        }
        return Record(id, new IntegrityCheck(file.Length, file.LastWriteTimeUtc, Verify(artifact, bytes)));
    }

    /// <summary>
    /// Removes the artifact (files, index, cached bytes). False when it is not stored. Whether a saga still needs it
    /// is the caller's question (the API asks <c>IArtifactReferences</c>).
    /// </summary>
    public bool Delete(string id)
    {
        if (!ArtifactIds.IsValid(id)) return false;
        if (_repository is not null)
        {
            var removed = _repository.Delete(id);
            _checks.TryRemove(id, out _);
            _images.Remove(id);
            return removed;
        }
        lock (_writeLock)
        {
            var dir = Path.Combine(RootDirectory, id);
            bool existed = Directory.Exists(dir);
            if (existed)
            {
                var incoming = Path.Combine(RootDirectory, IncomingDirectoryName);
                Directory.CreateDirectory(incoming);
                var doomed = Path.Combine(incoming, "deleted-" + Guid.NewGuid().ToString("N"));
                Directory.Move(dir, doomed);
                TryDelete(doomed);
            }
            _index.TryRemove(id, out _);
            _checks.TryRemove(id, out _);
            _images.Remove(id);
            return existed;
        }
    }

    private string? Record(string id, IntegrityCheck check)
    {
        _checks[id] = check;
        // Bytes cached before the damage are right, but the artifact is refused everywhere until it is repaired or
        // deleted.
        if (check.Problem is not null) _images.Remove(id);
        return check.Problem;
    }

    private static string? Verify(StoredArtifact artifact, byte[] bytes)
    {
        if (bytes.Length != artifact.Metadata.Size)
            return $"its image is {bytes.Length} bytes, its metadata says {artifact.Metadata.Size}";
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return string.Equals(actual, artifact.ImageSha256, StringComparison.Ordinal)
            ? null
            : $"its image has SHA-256 {actual}, its manifest says {artifact.ImageSha256}";
    }

    private string ImagePath(string id) => Path.Combine(RootDirectory, id, ImageFileName);

    /// <summary>
    /// Stores image bytes with their metadata and signed manifest. Idempotent: if the bytes are already stored,
    /// nothing is written and the existing artifact is returned with <c>Created = false</c>.
    /// </summary>
    public ArtifactSaveResult Save(ArtifactMetadata metadata, ReadOnlyMemory<byte> image, SignedManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(manifest);
        var id = ArtifactIds.Of(image.Span, metadata.HardwareTarget);
        if (!string.Equals(id, metadata.Id, StringComparison.Ordinal))
            throw new ArgumentException(
                $"metadata id {metadata.Id} is not the id of the image bytes " +
                $"for target '{metadata.HardwareTarget}' ({id})",
                nameof(metadata));

        if (_repository is not null) return SaveShared(new StoredArtifact(metadata, manifest), image.Span);
        lock (_writeLock)
        {
            if (Get(id) is { } existing) return new ArtifactSaveResult(existing, Created: false);

            var incoming = Path.Combine(RootDirectory, IncomingDirectoryName, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(incoming);
            try
            {
                WriteDurably(Path.Combine(incoming, ImageFileName), image.Span);
                WriteDurably(Path.Combine(incoming, ManifestFileName), Encoding.UTF8.GetBytes(SignedManifestFile.ToJson(manifest)));
                WriteDurably(Path.Combine(incoming, MetadataFileName), JsonSerializer.SerializeToUtf8Bytes(metadata, FleetJson.Options));
                Directory.Move(incoming, Path.Combine(RootDirectory, id));
            }
            catch (IOException) when (TryLoad(id) is { } storedMeanwhile)
            {
                // Another process sharing the directory stored the same bytes first: same id, same image.
                TryDelete(incoming);
                return new ArtifactSaveResult(_index.GetOrAdd(id, storedMeanwhile), Created: false);
            }
            catch
            {
                TryDelete(incoming);
                throw;
            }
            var stored = new StoredArtifact(metadata, manifest);
            _index[id] = stored;
            return new ArtifactSaveResult(stored, Created: true);
        }
    }

    private ArtifactSaveResult SaveShared(StoredArtifact artifact, ReadOnlySpan<byte> image)
    {
        if (_repository!.Find(artifact.Id) is { } existing) return new ArtifactSaveResult(existing, Created: false);
        if (_repository.TryAdd(artifact, image)) return new ArtifactSaveResult(artifact, Created: true);
        // Another node stored the same bytes first: same id, same image.
        return new ArtifactSaveResult(
            _repository.Find(artifact.Id) ?? throw new ArtifactDamagedException(artifact.Id,
                "it was stored and deleted by other nodes while this upload ran; upload it again"),
            Created: false);
    }

    /// <summary>The verdict of the first read of these bytes; a delete and re-upload under the same id (the same
    /// bytes) is checked again, recognised by its upload time.</summary>
    private string? SharedDamageOf(StoredArtifact artifact)
    {
        var uploaded = artifact.Metadata.UploadedAt.UtcDateTime;
        if (_checks.TryGetValue(artifact.Id, out var known) && known.WrittenUtc == uploaded) return known.Problem;
        var bytes = _repository!.ReadImage(artifact.Id);
        var problem = bytes is null ? "it was deleted while being read" : Verify(artifact, bytes);
        Record(artifact.Id, new IntegrityCheck(bytes?.Length ?? -1, uploaded, problem));
        if (problem is null) _images.GetOrLoad(artifact.Id, _ => bytes!);
        return problem;
    }

    private byte[] ReadSharedImage(StoredArtifact artifact)
    {
        if (SharedDamageOf(artifact) is { } problem) throw new ArtifactDamagedException(artifact.Id, problem);
        return _images.GetOrLoad(artifact.Id, id =>
        {
            // Evicted from memory since it was checked: read and check again.
            var bytes = _repository!.ReadImage(id)
                        ?? throw new ArtifactDamagedException(id, "it was deleted while being read");
            return Verify(artifact, bytes) is { } damage ? throw new ArtifactDamagedException(id, damage) : bytes;
        });
    }

    private void WriteDurably(string path, ReadOnlySpan<byte> bytes)
    {
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        AfterIncomingFileWritten?.Invoke(path);
    }

    private StoredArtifact? TryLoad(string id)
    {
        var dir = Path.Combine(RootDirectory, id);
        var metadataPath = Path.Combine(dir, MetadataFileName);
        var manifestPath = Path.Combine(dir, ManifestFileName);
        if (!File.Exists(metadataPath) || !File.Exists(manifestPath) || !File.Exists(Path.Combine(dir, ImageFileName))) return null;
        var metadata = JsonSerializer.Deserialize<ArtifactMetadata>(File.ReadAllBytes(metadataPath), FleetJson.Options)
                       ?? throw new InvalidDataException($"{metadataPath} is empty");
        var manifest = SignedManifestFile.FromJson(File.ReadAllText(manifestPath));
        return new StoredArtifact(metadata, manifest);
    }

    private byte[] LoadVerifiedImage(string id)
    {
        var artifact = Get(id) ?? throw new ArtifactDamagedException(id, "it was deleted while being read");
        var bytes = File.ReadAllBytes(ImagePath(id));
        // Checked again on the bytes actually served: the file may have changed since DamageOf looked.
        if (Verify(artifact, bytes) is { } problem) throw new ArtifactDamagedException(id, problem);
        return bytes;
    }

    private sealed record IntegrityCheck(long Length, DateTime WrittenUtc, string? Problem);

    private int DiscardIncoming()
    {
        var incoming = Path.Combine(RootDirectory, IncomingDirectoryName);
        if (!Directory.Exists(incoming)) return 0;
        int n = 0;
        foreach (var dir in Directory.EnumerateDirectories(incoming))
        {
            TryDelete(dir);
            n++;
        }
        return n;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the next open retries, and nothing under .incoming is ever read as an artifact.
        }
        catch (UnauthorizedAccessException)
        {
            // Same: left for the next open.
        }
    }
}
