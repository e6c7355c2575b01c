using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Protocol.Messages;

/// <summary>
/// Device → orchestrator, on <c>…/evt</c>. <see cref="CommandId"/> names the command answered (null for unsolicited events);
/// <see cref="Sequence"/> increases with every event a device sends since its first boot and lets the orchestrator drop stale ones.
/// </summary>
public abstract record DeviceEvent(string? CommandId, long Sequence);

public sealed record StateReported(string? CommandId, long Sequence, DeviceStateReport State) : DeviceEvent(CommandId, Sequence);

/// <summary>Command received and accepted (or refused with a reason, e.g. "signature", "downgrade", "busy").</summary>
public sealed record CommandAcknowledged(string CommandId, long Sequence, bool Accepted, string? Reason) : DeviceEvent(CommandId, Sequence);

/// <summary>Coarse download progress (a few per download, never per block).</summary>
public sealed record DownloadProgress(string CommandId, long Sequence, int BytesWritten, int TotalBytes) : DeviceEvent(CommandId, Sequence);

/// <summary>The image is in the inactive bank; <see cref="Crc"/> is what the CRC unit computed over it.</summary>
public sealed record ImageStaged(string CommandId, long Sequence, SemanticVersion Version, int Size, uint Crc) : DeviceEvent(CommandId, Sequence);

/// <summary>Download or staging failed: reason is one of download | signature | integrity | too-large | hardware | downgrade | flash.</summary>
public sealed record StagingFailed(string CommandId, long Sequence, string Reason, string Detail, int ResumeOffset) : DeviceEvent(CommandId, Sequence);

/// <summary>Unsolicited after every reset: what runs now, from which bank, and why it reset.</summary>
public sealed record DeviceBooted(string? CommandId, long Sequence, SemanticVersion Version, BankId ActiveBank, ImageState ImageState, ResetCause ResetCause, int TrialBootCount) : DeviceEvent(CommandId, Sequence);

/// <summary>Outcome of the image's own health check while on trial.</summary>
public sealed record HealthReported(string? CommandId, long Sequence, bool Healthy, string? Detail) : DeviceEvent(CommandId, Sequence);

public sealed record ImageCommitted(string CommandId, long Sequence, SemanticVersion Version) : DeviceEvent(CommandId, Sequence);

/// <summary>The device is back on the previous image, either by command or because the boot guard reverted on its own.</summary>
public sealed record RolledBackOnDevice(string? CommandId, long Sequence, SemanticVersion Version, string Reason) : DeviceEvent(CommandId, Sequence);
