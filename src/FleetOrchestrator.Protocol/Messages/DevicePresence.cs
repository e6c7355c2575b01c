namespace FleetOrchestrator.Protocol.Messages;

/// <summary>Retained on <c>…/status</c>; the device's last will publishes Online=false.</summary>
public sealed record DevicePresence(bool Online);
