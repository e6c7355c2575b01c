namespace FleetOrchestrator.Simulation.Links.DeviceMqtt;

/// <summary>
/// What the broker said to a device's CONNECT. <see cref="ResultCode"/> is MQTT's reason (e.g. <c>Success</c>,
/// <c>BadUserNameOrPassword</c>); <see cref="IsSessionPresent"/> tells whether queued commands survived.
/// </summary>
public sealed record DeviceConnectOutcome(bool IsConnected, bool IsSessionPresent, string ResultCode, string? Reason);
