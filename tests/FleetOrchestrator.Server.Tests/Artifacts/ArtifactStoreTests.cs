using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.Firmware.Manifests;
using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Artifacts;

public sealed class ArtifactStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fleet-store-test-").FullName;
    private readonly ManifestSigningKey _key = ManifestSigningKey.Generate("test-key");

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private (ArtifactMetadata Metadata, byte[] Image, SignedManifest Manifest) Artifact(byte seed = 1)
    {
        var image = TestImages.ValidBin(1024, seed);
        var firmware = new FirmwareImage(image, 0x0800_0000, ImageFormat.Binary);
        var manifest = FirmwareManifest.Describe(firmware, new SemanticVersion(1, 0, seed), FirmwareManifest.DefaultHardwareTarget, new SemanticVersion(0, 0, 0), false);
        var signed = ManifestSigner.Sign(manifest, _key);
        var metadata = new ArtifactMetadata(manifest.ImageSha256, manifest.Version, image.Length, manifest.Crc32, manifest.HardwareTarget,
            manifest.MinimumBootloader, false, "app.bin", ImageFormat.Binary, ServerHost.Epoch, signed.KeyId);
        return (metadata, image, signed);
    }

    private sealed class SimulatedCrash : Exception
    {
        public SimulatedCrash() : base("power cut") { }
        public SimulatedCrash(string message) : base(message) { }
        public SimulatedCrash(string message, Exception inner) : base(message, inner) { }
    }

    [Theory]
    [InlineData(ArtifactStore.ImageFileName)]
    [InlineData(ArtifactStore.ManifestFileName)]
    [InlineData(ArtifactStore.MetadataFileName)]
    public void A_crash_while_writing_any_file_leaves_no_artifact_visible_and_a_retry_succeeds(string crashAfter)
    {
        var (metadata, image, manifest) = Artifact();
        var store = new ArtifactStore(_root)
        {
            AfterIncomingFileWritten = path =>
            {
                if (Path.GetFileName(path) == crashAfter) throw new SimulatedCrash();
            },
        };

        Assert.Throws<SimulatedCrash>(() => store.Save(metadata, image, manifest));

        Assert.Null(store.Get(metadata.Id));
        Assert.Empty(store.List());
        Assert.False(Directory.Exists(Path.Combine(_root, metadata.Id)));
        Assert.Null(new ArtifactStore(_root).Get(metadata.Id));

        store.AfterIncomingFileWritten = null;
        Assert.True(store.Save(metadata, image, manifest).Created);
        Assert.Equal(image, store.ReadImage(metadata.Id));
    }

    [Fact]
    public void Leftovers_of_a_process_killed_mid_upload_are_invisible_and_discarded_at_the_next_open()
    {
        var (metadata, image, _) = Artifact();
        // What a kill -9 after the first write leaves behind: a half-filled incoming directory.
        var leftover = Directory.CreateDirectory(Path.Combine(_root, ".incoming", "deadbeef")).FullName;
        File.WriteAllBytes(Path.Combine(leftover, ArtifactStore.ImageFileName), image[..100]);

        var store = new ArtifactStore(_root);

        Assert.Equal(1, store.DiscardedIncompleteUploads);
        Assert.False(Directory.Exists(leftover));
        Assert.Empty(store.List());
        Assert.Null(store.Get(metadata.Id));
    }

    [Fact]
    public void A_directory_named_like_an_artifact_but_missing_files_is_not_an_artifact()
    {
        var (metadata, image, _) = Artifact();
        var dir = Directory.CreateDirectory(Path.Combine(_root, metadata.Id)).FullName;
        File.WriteAllBytes(Path.Combine(dir, ArtifactStore.ImageFileName), image);

        var store = new ArtifactStore(_root);

        Assert.Null(store.Get(metadata.Id));
        Assert.Null(store.ReadImage(metadata.Id));
    }

    [Fact]
    public void Stored_artifacts_survive_a_reopen_unchanged()
    {
        var (metadata, image, manifest) = Artifact();
        new ArtifactStore(_root).Save(metadata, image, manifest);

        var reopened = new ArtifactStore(_root);
        var artifact = reopened.Get(metadata.Id)!;

        Assert.Equal(metadata, artifact.Metadata);
        Assert.Equal(manifest.ManifestBase64, artifact.Manifest.ManifestBase64);
        Assert.Equal(manifest.SignatureBase64, artifact.Manifest.SignatureBase64);
        Assert.Equal(image, reopened.ReadImage(metadata.Id));
    }

    [Fact]
    public void Saving_the_same_bytes_twice_writes_once()
    {
        var (metadata, image, manifest) = Artifact();
        var store = new ArtifactStore(_root);
        Assert.True(store.Save(metadata, image, manifest).Created);
        var writes = 0;
        store.AfterIncomingFileWritten = _ => writes++;

        var again = store.Save(metadata with { OriginalFileName = "other.bin" }, image, manifest);

        Assert.False(again.Created);
        Assert.Equal("app.bin", again.Artifact.Metadata.OriginalFileName);
        Assert.Equal(0, writes);
        Assert.Single(store.List());
    }

    [Fact]
    public void Metadata_that_does_not_match_the_bytes_is_refused()
    {
        var (metadata, image, manifest) = Artifact();
        var store = new ArtifactStore(_root);
        Assert.Throws<ArgumentException>(() => store.Save(metadata with { Id = new string('0', 64) }, image, manifest));
        Assert.Empty(store.List());
    }

    [Fact]
    public void An_image_altered_on_disk_is_never_served()
    {
        var (metadata, image, manifest) = Artifact();
        new ArtifactStore(_root).Save(metadata, image, manifest);
        var path = Path.Combine(_root, metadata.Id, ArtifactStore.ImageFileName);
        var bytes = File.ReadAllBytes(path);
        bytes[500] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        var store = new ArtifactStore(_root);
        var error = Assert.Throws<ArtifactDamagedException>(() => store.ReadImage(metadata.Id));
        Assert.Contains(metadata.Id, error.Message);
        Assert.DoesNotContain(_root, error.Message);
        Assert.Contains("SHA-256", store.DamageOf(metadata.Id));
    }

    [Fact]
    public void An_image_altered_after_the_store_opened_is_found_damaged_at_the_next_check()
    {
        var (metadata, image, manifest) = Artifact();
        var store = new ArtifactStore(_root);
        store.Save(metadata, image, manifest);
        Assert.Null(store.DamageOf(metadata.Id));
        Assert.NotNull(store.ReadImage(metadata.Id));

        var path = Path.Combine(_root, metadata.Id, ArtifactStore.ImageFileName);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..1000]);

        Assert.Contains("1000 bytes", store.DamageOf(metadata.Id));
        // Hot in memory before the damage, refused after it all the same.
        Assert.Throws<ArtifactDamagedException>(() => store.ReadImage(metadata.Id));
    }

    [Fact]
    public void A_deleted_artifact_is_gone_from_disk_index_and_cache()
    {
        var (metadata, image, manifest) = Artifact();
        var store = new ArtifactStore(_root);
        store.Save(metadata, image, manifest);
        Assert.NotNull(store.ReadImage(metadata.Id));

        Assert.True(store.Delete(metadata.Id));

        Assert.Null(store.Get(metadata.Id));
        Assert.Null(store.ReadImage(metadata.Id));
        Assert.False(Directory.Exists(Path.Combine(_root, metadata.Id)));
        Assert.Empty(new ArtifactStore(_root).List());
        Assert.False(store.Delete(metadata.Id));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("")]
    public void Ids_that_are_not_sha256_digests_never_reach_the_file_system(string id)
    {
        var store = new ArtifactStore(_root);
        Assert.Null(store.Get(id));
        Assert.Null(store.ReadImage(id));
    }

    [Fact]
    public void The_hot_cache_stays_within_its_budget_and_still_serves_evicted_images()
    {
        var store = new ArtifactStore(_root, hotCacheBytes: 2048);
        var ids = new List<(string Id, byte[] Image)>();
        for (byte seed = 1; seed <= 4; seed++)
        {
            var (metadata, image, manifest) = Artifact(seed);
            store.Save(metadata, image, manifest);
            ids.Add((metadata.Id, image));
        }

        foreach (var (id, image) in ids)
        {
            Assert.Equal(image, store.ReadImage(id));
            Assert.InRange(store.CachedImageBytes, 1024, 2048);
        }
        foreach (var (id, image) in ids) Assert.Equal(image, store.ReadImage(id));
        Assert.InRange(store.CachedImageBytes, 1024, 2048);
    }

    [Fact]
    public void When_another_process_stores_the_same_bytes_mid_write_the_second_save_yields_to_it()
    {
        var (metadata, image, manifest) = Artifact();
        var other = new ArtifactStore(_root);
        var store = new ArtifactStore(_root);
        store.AfterIncomingFileWritten = path =>
        {
            if (Path.GetFileName(path) == ArtifactStore.MetadataFileName) other.Save(metadata with { OriginalFileName = "first.bin" }, image, manifest);
        };

        var result = store.Save(metadata, image, manifest);

        Assert.False(result.Created);
        Assert.Equal("first.bin", result.Artifact.Metadata.OriginalFileName);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_root, ".incoming")));
        Assert.Equal(image, new ArtifactStore(_root).ReadImage(metadata.Id));
    }
}
