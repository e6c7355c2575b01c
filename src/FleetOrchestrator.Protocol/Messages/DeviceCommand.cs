using FleetOrchestrator.Firmware.Versioning;

namespace FleetOrchestrator.Protocol.Messages;

/// <summary>
/// Orchestrator → device, on <c>…/cmd</c>. <see cref="Id"/> is unique per command; a device that sees an id again
/// answers again exactly as the first time and does not act twice.
/// </summary>
public abstract record DeviceCommand(string Id);

/// <summary>Asks the device to publish its state report as an event.</summary>
public sealed record GetState(string Id) : DeviceCommand(Id);

/// <summary>Download the image the signed manifest describes into the inactive bank, verify it, and report staged.</summary>
public sealed record StartDownload(string Id, SignedManifestDto Manifest, string Url, int ResumeOffset) : DeviceCommand(Id);

/// <summary>Erase the inactive bank (after a CRC mismatch, before a retry).</summary>
public sealed record EraseStaged(string Id) : DeviceCommand(Id);

/// <summary>Arm the boot guard, toggle BFB2 and launch option-byte loading: the device resets into the staged image.</summary>
public sealed record AuthorizeSwap(string Id, SemanticVersion Version, uint ExpectedCrc) : DeviceCommand(Id);

/// <summary>The trial image passed its health window: disarm the boot guard and keep it.</summary>
public sealed record CommitImage(string Id, SemanticVersion Version) : DeviceCommand(Id);

/// <summary>Go back to the previous image now (toggle BFB2 back and reset).</summary>
public sealed record RollBack(string Id, string Reason) : DeviceCommand(Id);
