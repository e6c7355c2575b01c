namespace FleetOrchestrator.Firmware.Signing;

/// <summary>A PEM that is not a usable ECDSA P-256 key; the message says why.</summary>
public sealed class SigningKeyException : Exception
{
    public SigningKeyException(string message) : base(message) { }

    public SigningKeyException() : base("unusable signing key") { }

    public SigningKeyException(string message, Exception innerException) : base(message, innerException) { }
}
