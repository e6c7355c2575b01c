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
/// next start. Artifacts are immutable once stored: an id names exactly one set of bytes forever.
/// </remarks>
public sealed class ArtifactStore
{
    public const string ImageFileName = "image.bin";
    public const string ManifestFileName = "manifest.json";
    public const string MetadataFileName = "metadata.json";
    private const string IncomingDirectoryName = ".incoming";

    private readonly ConcurrentDictionary<string, StoredArtifact> _index = new(StringComparer.Ordinal);
    private readonly ArtifactImageCache _images;
    private readonly Lock _writeLock = new();

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
    }

    public string RootDirectory { get; }

    /// <summary>How many half-written uploads the last open found and removed.</summary>
    public int DiscardedIncompleteUploads { get; }

    /// <summary>Bytes of image data currently held in memory.</summary>
    internal long CachedImageBytes => _images.TotalBytes;

    /// <summary>Test seam: called after each file of a new artifact is written, before the artifact becomes visible.</summary>
    internal Action<string>? AfterIncomingFileWritten { get; set; }

    /// <summary>Every stored artifact, newest upload first.</summary>
    public IReadOnlyList<StoredArtifact> List() =>
        [.. _index.Values.OrderByDescending(a => a.Metadata.UploadedAt).ThenBy(a => a.Id, StringComparer.Ordinal)];

    /// <summary>The artifact with this id, or null (also for ids that are not SHA-256 digests).</summary>
    public StoredArtifact? Get(string id)
    {
        if (!ArtifactIds.IsValid(id)) return null;
        if (_index.TryGetValue(id, out var known)) return known;
        // Another process sharing the directory may have stored it since we opened.
        if (TryLoad(id) is { } loaded) return _index.GetOrAdd(id, loaded);
        return null;
    }

    /// <summary>
    /// The image bytes, from memory when hot. Null for an unknown artifact. Throws <see cref="InvalidDataException"/>
    /// when the file on disk no longer matches its id, so a damaged image is never served.
    /// </summary>
    public byte[]? ReadImage(string id)
    {
        if (Get(id) is null) return null;
        return _images.GetOrLoad(id, LoadVerifiedImage);
    }

    /// <summary>
    /// Stores image bytes with their metadata and signed manifest. Idempotent: if the bytes are already stored,
    /// nothing is written and the existing artifact is returned with <c>Created = false</c>.
    /// </summary>
    public ArtifactSaveResult Save(ArtifactMetadata metadata, ReadOnlyMemory<byte> image, SignedManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(manifest);
        var id = ArtifactIds.Of(image.Span);
        if (!string.Equals(id, metadata.Id, StringComparison.Ordinal))
            throw new ArgumentException($"metadata id {metadata.Id} is not the SHA-256 of the image bytes ({id})", nameof(metadata));

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
        var path = Path.Combine(RootDirectory, id, ImageFileName);
        var bytes = File.ReadAllBytes(path);
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, id, StringComparison.Ordinal))
            throw new InvalidDataException($"{path} has SHA-256 {actual}, not its id {id}: the file was altered or damaged on disk; it is not served");
        return bytes;
    }

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
