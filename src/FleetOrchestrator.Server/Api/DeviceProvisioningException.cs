namespace FleetOrchestrator.Server.Api;

/// <summary>
/// A provisioning change another system refused (the MQTT broker's accounts): nothing was changed, and the endpoint
/// answers 502 with <see cref="Exception.Message"/> as the problem's detail.
/// </summary>
public sealed class DeviceProvisioningException(string message, Exception? inner = null) : Exception(message, inner);
