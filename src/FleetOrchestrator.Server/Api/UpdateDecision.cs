namespace FleetOrchestrator.Server.Api;

/// <summary>
/// What happened to one device of an update order. <see cref="Status"/>: <c>accepted</c>; <c>refused</c> (with
/// <see cref="Reason"/>); <c>unknown-device</c> (never provisioned: nothing was started); <c>pending</c> (the device's
/// saga did not answer in time: it may have started, <see cref="Reason"/> says how to check).
/// </summary>
public sealed record UpdateDecision(
    string DeviceId, bool Accepted, string? Reason, string Status = UpdateDecision.AcceptedStatus)
{
    public const string AcceptedStatus = "accepted";
    public const string RefusedStatus = "refused";
    public const string PendingStatus = "pending";
    public const string UnknownDeviceStatus = "unknown-device";

    public static UpdateDecision Accept(string deviceId) => new(deviceId, true, null);

    public static UpdateDecision Refuse(string deviceId, string reason) => new(deviceId, false, reason, RefusedStatus);

    public static UpdateDecision Pending(string deviceId, string reason) =>
        new(deviceId, false, reason, PendingStatus);

    public static UpdateDecision UnknownDevice(string deviceId) => new(deviceId, false,
        $"device '{deviceId}' was never provisioned (register it with POST /api/devices first); nothing was started",
        UnknownDeviceStatus);
}
