namespace FleetOrchestrator.Simulation.Devices;

// Fault injection (DeviceFaults): each fault strikes once in the device's life, at the step it names.
public sealed partial class SimulatedDevice
{
    private bool _corruptionInjected;
    private bool _powerCutArmed;
    private bool _offlineDuringSwapDone;

    /// <summary>OfflineDuringSwap: the first swap keeps the device away this much longer than its boot.</summary>
    private TimeSpan ExtraTimeAwayAfterSwap()
    {
        if (!_options.Faults.OfflineDuringSwap || _offlineDuringSwapDone)
            return TimeSpan.Zero;
        _offlineDuringSwapDone = true;
        return _context.FaultSettings.OfflineDuringSwap;
    }

    /// <summary>
    /// Damages the image in the inactive bank (erases one page of it), as flash wear or a stray write would: the bank
    /// is then no longer intact and a swap back to it is refused. For tests of the fleet rollback's download path.
    /// </summary>
    public void DamageInactiveBank()
    {
        lock (_gate)
        {
            var status = _mcu.ErasePage(_mcu.Part.Bank2Address + 3 * L072.Device.L072Part.PageSize);
            if (status != L072.Device.FlashStatus.Ok)
                throw new InvalidOperationException($"erasing a page of the inactive bank failed: {status}");
        }
    }

    /// <summary>CorruptTransfer: a bit error in the first chunk that the transport did not catch.</summary>
    private void CorruptOnce(Memory<byte> chunk)
    {
        if (!_options.Faults.CorruptTransfer || _corruptionInjected)
            return;
        _corruptionInjected = true;
        chunk.Span[chunk.Length / 2] ^= 0x5A;
    }

    /// <summary>PowerCutAtOperation: the power goes out before that flash operation of the first staging. The caller
    /// holds <c>_gate</c> (the staging start).</summary>
    private void ArmPowerCutOnce()
    {
        if (_options.Faults.PowerCutAtOperation is not long op || _powerCutArmed)
            return;
        _powerCutArmed = true;
        _mcu.ScheduleCutBeforeOperation(_mcu.OperationCount + op);
    }
}
