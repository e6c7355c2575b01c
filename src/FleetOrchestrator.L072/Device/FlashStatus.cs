namespace FleetOrchestrator.L072.Device;

/// <summary>Outcome of one NVM operation, named after the FLASH_SR error bit it would set.</summary>
public enum FlashStatus
{
    Ok,
    /// <summary>NOTZEROERR (b16): target word not erased; the write was not applied.</summary>
    NotZeroError,
    /// <summary>PGAERR (b9): misaligned half-page or word address.</summary>
    ProgramAlignmentError,
    /// <summary>WRPERR (b8): write-protected, e.g. option bytes frozen by RDP 2.</summary>
    WriteProtectionError,
    /// <summary>SIZERR (b10): wrong size, or an address outside the region.</summary>
    SizeError,
}
