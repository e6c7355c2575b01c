namespace FleetOrchestrator.Protocol.Codec;

/// <summary>What kind of rule a payload broke; the transport can count these, the message says the rest.</summary>
public enum ProtocolErrorKind
{
    /// <summary>Zero-length payload (on a retained topic this is MQTT's "retained message cleared").</summary>
    Empty,
    /// <summary>Larger than <see cref="Validation.WireLimits.MaxPayloadBytes"/>; not parsed at all.</summary>
    TooLarge,
    /// <summary>Not well-formed UTF-8 JSON, nested too deep, or trailing content after the value.</summary>
    NotJson,
    /// <summary>Well-formed JSON whose top level (or a nested message part) is not an object.</summary>
    NotAnObject,
    /// <summary><c>schema</c> is a number this end does not speak.</summary>
    UnsupportedSchema,
    /// <summary><c>type</c> is not a message of the expected direction.</summary>
    UnknownType,
    /// <summary>A required field is absent or null.</summary>
    MissingField,
    /// <summary>A field has the wrong JSON type, format or range.</summary>
    InvalidField,
    /// <summary>A property name occurs twice in one object (receivers would disagree on which one wins).</summary>
    DuplicateField,
    /// <summary>An object has more than <see cref="Validation.WireLimits.MaxPropertiesPerObject"/> properties.</summary>
    TooManyFields,
}

/// <summary>
/// Why a payload was refused. <see cref="Message"/> is a complete sentence for logs and for the operator;
/// <see cref="Field"/> is the dotted path of the offending field (e.g. <c>manifest.signature</c>) when one is to blame;
/// <see cref="BytePosition"/> is the 0-based offset in the payload for JSON syntax errors.
/// </summary>
public sealed record ProtocolError(ProtocolErrorKind Kind, string Message, string? Field = null, long? BytePosition = null)
{
    public override string ToString() => Message;
}
