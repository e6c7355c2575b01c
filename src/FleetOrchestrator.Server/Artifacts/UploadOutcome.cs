using FleetOrchestrator.Firmware.Images;

namespace FleetOrchestrator.Server.Artifacts;

/// <summary>What became of an upload. Exactly one of the cases below.</summary>
public abstract record UploadOutcome
{
    private UploadOutcome() { }

    /// <summary>Stored (or found already stored, <c>Created = false</c>).</summary>
    public sealed record Stored(StoredArtifact Artifact, bool Created) : UploadOutcome;

    /// <summary>
    /// The manifest fields break the protocol's rules (PROTOCOL.md §6.3, §10: e.g. a target that is not
    /// <c>[a-z0-9_-]{1,32}</c>, a signed manifest over the wire limit); nothing was signed or stored.
    /// </summary>
    public sealed record Rejected(IReadOnlyList<string> Errors) : UploadOutcome;

    /// <summary>The content could not be read as an image at all (e.g. malformed Intel HEX); errors name the line.</summary>
    public sealed record Unreadable(ImageFormat Format, IReadOnlyList<string> Errors) : UploadOutcome;

    /// <summary>Readable, but not an image an L072 bank can boot; ALL problems are listed.</summary>
    public sealed record Invalid(ImageFormat Format, IReadOnlyList<string> Errors) : UploadOutcome;

    /// <summary>The same bytes are already stored with different manifest fields; an id names one manifest forever.</summary>
    public sealed record Conflict(StoredArtifact Existing, string Reason) : UploadOutcome;
}
