using FleetOrchestrator.Firmware.Signing;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.SharedState;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Server.Artifacts;
using Microsoft.Extensions.Time.Testing;

namespace FleetOrchestrator.Host.Tests.SharedState;

/// <summary>
/// Two nodes' repositories on one database: a row one has read is served from memory for the recheck window, so a
/// device download does not ask the database at every request, and a delete through the other node ends it there
/// when the window has passed; a delete through the node itself at once.
/// </summary>
public sealed class DatabaseArtifactRepositoryTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("fleet-artifact-repository-");

    [Fact]
    public void A_delete_through_another_node_ends_the_downloads_here_once_the_recheck_window_has_passed()
    {
        var (database, artifact, image) = Database();
        var clock = new FakeTimeProvider();
        var here = new DatabaseArtifactRepository(database, clock, Window);
        var other = new DatabaseArtifactRepository(database, clock, Window);
        Assert.True(other.TryAdd(artifact, image));
        Assert.Equal(artifact.Id, here.Find(artifact.Id)?.Id);

        Assert.True(other.Delete(artifact.Id));
        Assert.Null(other.Find(artifact.Id));
        clock.Advance(Window - TimeSpan.FromMilliseconds(1));
        Assert.Equal(artifact.Id, here.Find(artifact.Id)?.Id);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(here.Find(artifact.Id));
    }

    [Fact]
    public void A_row_still_stored_is_served_after_the_window_and_a_delete_here_is_seen_at_once()
    {
        var (database, artifact, image) = Database();
        var clock = new FakeTimeProvider();
        var here = new DatabaseArtifactRepository(database, clock, Window);
        Assert.Null(here.Find(artifact.Id));
        Assert.True(here.TryAdd(artifact, image));
        // An unknown id is never remembered: the upload is found at the next request.
        Assert.Equal(artifact.Manifest.SignatureBase64, here.Find(artifact.Id)?.Manifest.SignatureBase64);
        clock.Advance(Window * 3);
        Assert.Equal(artifact.Id, here.Find(artifact.Id)?.Id);

        Assert.True(here.Delete(artifact.Id));
        Assert.Null(here.Find(artifact.Id));
    }

    [Fact]
    public void A_negative_window_is_refused_by_name() =>
        Assert.Equal("recheckAfter", Assert.Throws<ArgumentOutOfRangeException>(() => new DatabaseArtifactRepository(
            FleetPersistenceOptions.Sqlite(Path.Combine(_directory.FullName, "x.db")), null,
            TimeSpan.FromSeconds(-1))).ParamName);

    public void Dispose() => _directory.Delete(recursive: true);

    private (FleetPersistenceOptions Database, StoredArtifact Artifact, byte[] Image) Database()
    {
        var database = FleetPersistenceOptions.Sqlite(Path.Combine(_directory.FullName, "fleet.db"));
        FleetDataOptions.PrepareDatabase(database);
        var image = SyntheticImage.Create(new SemanticVersion(1, 2, 0));
        using var key = ManifestSigningKey.Generate();
        var files = new ArtifactStore(Path.Combine(_directory.FullName, "files"));
        var stored = new ArtifactUploader(files, key, TimeProvider.System).Upload(new ArtifactUpload("app.bin", image,
            new SemanticVersion(1, 2, 0), "stm32l072cz", new SemanticVersion(1, 0, 0), DowngradeAllowed: false));
        return (database, Assert.IsType<UploadOutcome.Stored>(stored).Artifact, image);
    }
}
