namespace FleetOrchestrator.Firmware.Hex;

/// <summary>
/// The only exception <see cref="IntelHexReader"/> lets escape: the input is not a well-formed Intel HEX file.
/// <see cref="Line"/> is 1-based; the message reads "line 17: checksum 0x3A does not match computed 0x2E".
/// </summary>
public sealed class IntelHexFormatException : FormatException
{
    public IntelHexFormatException(int line, string reason)
        : base($"line {line}: {reason}")
    {
        Line = line;
        Reason = reason;
    }

    public int Line { get; }
    public string Reason { get; }
}
