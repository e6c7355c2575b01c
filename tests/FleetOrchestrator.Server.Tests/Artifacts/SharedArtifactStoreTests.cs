using System.Collections.Concurrent;
using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Artifacts;

/// <summary>
/// <see cref="ArtifactStore"/> over a shared <see cref="IArtifactRepository"/> (as the database is for several
/// nodes): what another store of the same repository did is seen at once, and the integrity check stays on read.
/// </summary>
public sealed class SharedArtifactStoreTests : IDisposable
{
    private readonly ManifestSigningKey _key = ManifestSigningKey.Generate("test-key");
    private readonly InMemoryRepository _repository = new();

    public void Dispose() => _key.Dispose();

    [Fact]
    public void Two_stores_on_one_repository_see_each_others_uploads_and_deletes()
    {
        var (metadata, image, manifest) = Artifact();
        var first = new ArtifactStore(_repository);
        var second = new ArtifactStore(_repository);

        Assert.True(first.Save(metadata, image, manifest).Created);
        Assert.Equal(image, second.ReadImage(metadata.Id));
        Assert.False(second.Save(metadata, image, manifest).Created);
        Assert.Single(second.List());

        // Deleted through the first: the second has the bytes in memory, but serves them no more.
        Assert.True(first.Delete(metadata.Id));
        Assert.Null(second.Get(metadata.Id));
        Assert.Null(second.ReadImage(metadata.Id));
        Assert.Empty(second.List());
    }

    [Fact]
    public void Damaged_bytes_in_the_repository_are_never_served()
    {
        var (metadata, image, manifest) = Artifact();
        var uploader = new ArtifactStore(_repository);
        uploader.Save(metadata, image, manifest);
        _repository.Images[metadata.Id][10] ^= 0xFF;

        var reader = new ArtifactStore(_repository);
        Assert.Contains("SHA-256", reader.DamageOf(metadata.Id));
        Assert.Throws<ArtifactDamagedException>(() => reader.ReadImage(metadata.Id));
    }

    [Fact]
    public void An_upload_that_loses_the_race_returns_the_stored_artifact()
    {
        var (metadata, image, manifest) = Artifact();
        var store = new ArtifactStore(_repository);
        _repository.BeforeAdd = () => _repository.TryAdd(new StoredArtifact(metadata, manifest), image);

        var result = store.Save(metadata, image, manifest);

        Assert.False(result.Created);
        Assert.Equal(metadata.Id, result.Artifact.Id);
    }

    private (ArtifactMetadata Metadata, byte[] Image, SignedManifest Manifest) Artifact(byte seed = 1)
    {
        var image = TestImages.ValidBin(1024, seed);
        var firmware = new FirmwareImage(image, 0x0800_0000, ImageFormat.Binary);
        var manifest = FirmwareManifest.Describe(firmware, new SemanticVersion(1, 0, seed),
            FirmwareManifest.DefaultHardwareTarget, new SemanticVersion(0, 0, 0), false);
        var signed = ManifestSigner.Sign(manifest, _key);
        var metadata = new ArtifactMetadata(manifest.ImageSha256, manifest.Version, image.Length, manifest.Crc32,
            manifest.HardwareTarget, manifest.MinimumBootloader, false, "app.bin", ImageFormat.Binary,
            ServerHost.Epoch, signed.KeyId);
        return (metadata, image, signed);
    }

    /// <summary>What a database does for the store: rows added whole, found by id, removed whole.</summary>
    private sealed class InMemoryRepository : IArtifactRepository
    {
        private readonly ConcurrentDictionary<string, StoredArtifact> _artifacts = new();

        public ConcurrentDictionary<string, byte[]> Images { get; } = new();

        /// <summary>Runs once before the next add (another node's insert landing first).</summary>
        public Func<bool>? BeforeAdd { get; set; }

        public IReadOnlyList<StoredArtifact> List() => [.. _artifacts.Values];

        public StoredArtifact? Find(string id) => _artifacts.GetValueOrDefault(id);

        public byte[]? ReadImage(string id) => Images.TryGetValue(id, out var bytes) ? [.. bytes] : null;

        public bool TryAdd(StoredArtifact artifact, ReadOnlySpan<byte> image)
        {
            if (BeforeAdd is { } before)
            {
                BeforeAdd = null;
                before();
            }
            if (!_artifacts.TryAdd(artifact.Id, artifact)) return false;
            Images[artifact.Id] = image.ToArray();
            return true;
        }

        public bool Delete(string id) => Images.TryRemove(id, out _) & _artifacts.TryRemove(id, out _);
    }
}
