namespace FleetOrchestrator.Server.Api;

/// <summary>
/// The host's device credential store, as the provisioning endpoints use it. The same credentials admit a device to
/// the broker and to the image download.
/// </summary>
public interface IDeviceProvisioning
{
    /// <summary>
    /// Null when <paramref name="deviceId"/> may be registered, otherwise why not (a malformed or reserved id): the
    /// endpoint answers 400 before anything is written.
    /// </summary>
    string? DescribeDeviceIdProblem(string deviceId);

    /// <summary>Registers a new device with a generated secret; null when the device already has credentials.</summary>
    Task<DeviceRegistration?> RegisterAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>Removes the device's credentials; false when it had none.</summary>
    Task<bool> RevokeAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the device's tags (validated by <see cref="DeviceTagRules"/>; an empty map removes them); false when
    /// the device has no credentials (nothing is written).
    /// </summary>
    Task<bool> SetTagsAsync(string deviceId, IReadOnlyDictionary<string, string> tags,
        CancellationToken cancellationToken);
}
