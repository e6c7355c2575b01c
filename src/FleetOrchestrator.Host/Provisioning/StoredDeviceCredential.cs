namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// One device's entry in the credential file: the salted hash of its secret (HMAC-SHA256, 16-byte salt, as
/// <c>SaltedSecretHash</c> computes it), never the secret.
/// </summary>
public sealed record StoredDeviceCredential(string DeviceId, string SaltBase64, string HashBase64, DateTimeOffset RegisteredAt);
