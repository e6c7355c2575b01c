namespace FleetOrchestrator.Firmware.Hex;

/// <summary>The six record types of the 32-bit Intel HEX format (I32HEX), by their wire value.</summary>
public enum IntelHexRecordType : byte
{
    Data = 0x00,
    EndOfFile = 0x01,
    ExtendedSegmentAddress = 0x02,
    StartSegmentAddress = 0x03,
    ExtendedLinearAddress = 0x04,
    StartLinearAddress = 0x05,
}
