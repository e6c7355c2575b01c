namespace FleetOrchestrator.Firmware.Manifests;

/// <summary>A manifest or signed-manifest envelope that cannot be read; the message says which field and why.</summary>
public sealed class ManifestFormatException : FormatException
{
    public ManifestFormatException(string message) : base(message) { }

    public ManifestFormatException() : base("malformed manifest") { }

    public ManifestFormatException(string message, Exception innerException) : base(message, innerException) { }
}
