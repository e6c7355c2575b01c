namespace FleetOrchestrator.Protocol.Messages;

/// <summary>The signed manifest as it travels: the canonical manifest JSON (base64) and its ECDSA P-256 signature (base64, IEEE P1363).</summary>
public sealed record SignedManifestDto(string ManifestBase64, string SignatureBase64, string KeyId);
