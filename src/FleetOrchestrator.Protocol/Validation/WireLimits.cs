namespace FleetOrchestrator.Protocol.Validation;

/// <summary>
/// Numeric limits of protocol schema 1. They are part of the contract (PROTOCOL.md §6): a device may rely on
/// never receiving anything outside them, and the orchestrator rejects anything a device sends outside them.
/// </summary>
public static class WireLimits
{
    /// <summary>The schema version this code speaks.</summary>
    public const int SchemaVersion = 1;

    /// <summary>
    /// Largest payload either end accepts. The biggest legitimate message is <c>download</c>: a ~1 KB manifest in base64,
    /// a 64-byte signature and a URL of at most 2048 characters. 8 KiB leaves room and still fits a modem's receive buffer.
    /// </summary>
    public const int MaxPayloadBytes = 8 * 1024;

    /// <summary>
    /// Largest MQTT packet (fixed header included) either end needs after CONNECT: a <see cref="MaxPayloadBytes"/>
    /// payload, a topic of at most 88 bytes (<c>fleet/v1/devices/</c> + a 64-character device id + <c>/status</c>), a
    /// packet id and MQTT 5 properties (message expiry, content type). 9 KiB leaves room; PROTOCOL.md §2.
    /// </summary>
    public const int MaxMqttPacketBytes = MaxPayloadBytes + 1024;

    /// <summary>
    /// Largest CONNECT (fixed header included) a broker reads before it has checked the credentials: client id and
    /// user name of at most 64 characters each (a service client id a little more), a device secret of 43 characters,
    /// a will on <c>…/status</c> with the ~50-byte presence payload and a few properties add up to under 512 bytes.
    /// PROTOCOL.md §2.
    /// </summary>
    public const int MaxConnectPacketBytes = 2 * 1024;

    /// <summary>JSON nesting allowed; the deepest legitimate message (state → hardware) has depth 3.</summary>
    public const int MaxJsonDepth = 8;

    /// <summary>Properties per JSON object: guards the decoder's linear field lookup against hostile payloads.</summary>
    public const int MaxPropertiesPerObject = 32;

    /// <summary>One L072xZ bank: the largest image that can be staged (192 KB part, two 96 KB banks).</summary>
    public const int MaxImageSize = 96 * 1024;

    /// <summary>Largest value of <c>seq</c>: 2^53 - 1, so that every JSON implementation (including JavaScript) reads it exactly.</summary>
    public const long MaxSequence = 9_007_199_254_740_991;

    public const int MaxUrlLength = 2048;
    public const int MaxDetailLength = 256;
    public const int MaxManifestBase64Length = 4096;
    /// <summary>An ECDSA P-256 signature in IEEE P1363 form is r||s, 32 bytes each.</summary>
    public const int SignatureBytes = 64;
    public const int MaxTrialBootCount = 255;
    public const int MaxRdpLevel = 2;
    public const int MaxFlashSizeKb = 2048;
    public const int MaxHardwareTargetLength = 32;
    public const int MaxVersionTextLength = 32;
}
