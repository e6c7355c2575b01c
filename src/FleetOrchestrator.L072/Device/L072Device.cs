using System.Buffers.Binary;
using FleetOrchestrator.L072.Boot;
using FleetOrchestrator.L072.Memory;
using FleetOrchestrator.L072.Peripherals;

namespace FleetOrchestrator.L072.Device;

/// <summary>
/// One modelled STM32L072: program flash (logical addresses mapped to physical banks by SYSCFG.UFB), data EEPROM
/// (swapped by UFB too), option bytes (value + complement, loaded into OPTR only at POR and OBL_LAUNCH), reset
/// flags, IWDG, CRC unit, the hardware/ROM boot decision, a simulated clock and a counter of non-volatile operations
/// with power-cut injection. Single-threaded: one caller drives one device. Storage is page indices into a shared
/// <see cref="PagePool"/>, so identical content costs nothing per device.
/// The "CPU" running firmware is not in here: <see cref="Agent.UpdateAgent"/> plays the firmware.
/// </summary>
public sealed class L072Device
{
    public const uint OptionRdpWordAddress = 0x1FF8_0000;
    public const uint OptionUserWordAddress = 0x1FF8_0004;
    private const uint FlashPecrAddress = 0x4002_2004;
    private const uint OptrBfb2 = 1u << 23;
    private const uint OptrWdgSw = 1u << 20;
    private const uint OptrNBoot1 = 1u << 31;

    private readonly PagePool _pool;
    private readonly PageTable[] _flash;
    private readonly PageTable[] _eeprom;
    private readonly L072Assumptions _assume;
    private readonly L072Timings _timings;
    private uint _rdpWord;
    private uint _userWord;
    private uint _optr;
    private long _cutBefore = -1;
    private List<NvmOperation>? _log;

    public L072Device(L072Configuration? configuration = null, PagePool? pool = null)
    {
        Configuration = configuration ?? L072Configuration.Default;
        _pool = pool ?? PagePool.Shared;
        _assume = Configuration.Assumptions;
        _timings = Configuration.Timings;
        var part = Configuration.Part;
        _flash = new PageTable[part.BankCount];
        for (int b = 0; b < _flash.Length; b++) _flash[b] = new PageTable(part.PagesPerBank);
        _eeprom = new PageTable[part.EepromBankCount];
        for (int b = 0; b < _eeprom.Length; b++) _eeprom[b] = new PageTable(part.EepromPagesPerBank);
        _rdpWord = OptionWord(Configuration.InitialRdpOption);
        _userWord = OptionWord(Configuration.InitialUserOption);
        Watchdog = new IndependentWatchdog(_assume.LsiFrequencyHz);
    }

    public L072Configuration Configuration { get; }
    public L072Part Part => Configuration.Part;
    public PagePool Pool => _pool;

    // ---- power, clock, operation counter -------------------------------------------------------------------

    public bool IsPowered { get; private set; }
    public ExecutionState State { get; private set; } = ExecutionState.Unpowered;
    public BootPath LastBootPath { get; private set; }
    /// <summary>Incremented by every reset (POR included): firmware RAM from an earlier epoch is gone.</summary>
    public long ResetCount { get; private set; }
    /// <summary>Simulated time since manufacture; only ever advanced, never slept.</summary>
    public TimeSpan Now { get; private set; }
    /// <summary>Non-volatile operations started so far (1-based index of the last one).</summary>
    public long OperationCount { get; private set; }
    /// <summary>BOOT0 pin level sampled at reset.</summary>
    public bool Boot0 { get; set; }

    /// <summary>The next operation with this 1-based index does not run (or runs torn, see L072Assumptions.InterruptedOperation); power is lost.</summary>
    public void ScheduleCutBeforeOperation(long index) => _cutBefore = index;
    public void CancelScheduledCut() => _cutBefore = -1;
    /// <summary>How many scheduled cuts actually hit an operation.</summary>
    public int PowerCutsInjected { get; private set; }

    /// <summary>When set, every counted operation is appended here (for diagnosis; off by default to save memory).</summary>
    public List<NvmOperation>? OperationLog { get => _log; set => _log = value; }

    public void PowerOn()
    {
        if (IsPowered) return;
        IsPowered = true;
        Reset(ResetFlags.PowerOn);
    }

    /// <summary>Removes power: RAM, UFB and the IWDG are lost; flash, EEPROM and option bytes stay.</summary>
    public void PowerOff()
    {
        IsPowered = false;
        State = ExecutionState.Unpowered;
        ResetCount++;
    }

    /// <summary>Lets simulated time pass with the core running; returns true when the IWDG fired (device has reset).</summary>
    public bool AdvanceTime(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration));
        if (!IsPowered) { Now += duration; return false; }
        var end = Now + duration;
        if (Watchdog.IsRunning && Watchdog.Deadline <= end)
        {
            Now = Watchdog.Deadline;
            Reset(ResetFlags.IndependentWatchdog);
            return true;
        }
        Now = end;
        return false;
    }

    /// <summary>NVIC_SystemReset (SFTRSTF).</summary>
    public void SoftwareReset()
    {
        RequirePower();
        Reset(ResetFlags.Software);
    }

    /// <summary>The core hard-faulted on an unusable vector table: it stops until a reset (IWDG if running).</summary>
    public void EnterLockup()
    {
        RequirePower();
        State = ExecutionState.Lockup;
    }

    // ---- peripherals ---------------------------------------------------------------------------------------

    public IndependentWatchdog Watchdog { get; }
    public CrcUnit Crc { get; } = new();

    public void StartWatchdog() { RequirePower(); Watchdog.Start(Now); }
    public void RefreshWatchdog() => Watchdog.Refresh(Now);

    /// <summary>RCC_CSR flags accumulated since the last RMVF or POR.</summary>
    public ResetFlags ResetFlags { get; private set; }
    /// <summary>RCC_CSR.RMVF.</summary>
    public void ClearResetFlags() => ResetFlags = ResetFlags.None;

    /// <summary>SYSCFG_CFGR1.UFB: 1 = physical bank 2 (and EEPROM bank 2) mapped first. 0 after every reset.</summary>
    public bool Ufb { get; private set; }
    /// <summary>Firmware remapping (ST's "dual bank selection patch"); takes effect immediately.</summary>
    public void SetUfb(bool value) { if (Part.IsDualBank) Ufb = value; }
    public MemoryMode MemMode { get; private set; }

    /// <summary>Physical bank (1 or 2) at 0x0800_0000, from UFB.</summary>
    public int ActivePhysicalBank => Part.IsDualBank && Ufb ? 2 : 1;

    // ---- option bytes --------------------------------------------------------------------------------------

    /// <summary>FLASH_OPTR: the option bytes as loaded at the last POR/OBL_LAUNCH.</summary>
    public uint OptionRegister => _optr;
    public bool Bfb2 => (_optr & OptrBfb2) != 0;
    public bool WatchdogSoftware => (_optr & OptrWdgSw) != 0;
    public bool NBoot1 => (_optr & OptrNBoot1) != 0;
    public RdpLevel Rdp => (byte)_optr switch { 0xAA => RdpLevel.Level0, 0xCC => RdpLevel.Level2, _ => RdpLevel.Level1 };
    /// <summary>FLASH_SR.OPTVERR: a complement mismatch at the last load.</summary>
    public bool OptionValidityError { get; private set; }
    public void ClearOptionValidityError() => OptionValidityError = false;
    /// <summary>The stored words at 0x1FF8_0000/4 (value in [15:0], complement in [31:16]).</summary>
    public uint StoredRdpWord => _rdpWord;
    public uint StoredUserWord => _userWord;

    public FlashStatus ProgramRdpOption(ushort value) => ProgramOptionWord(ref _rdpWord, value, OptionRdpWordAddress);
    /// <summary>OPTR[31:16] (BFB2 = bit 7, WDG_SW = bit 4, nBOOT1 = bit 15). Effective only after OBL_LAUNCH or POR.</summary>
    public FlashStatus ProgramUserOption(ushort value) => ProgramOptionWord(ref _userWord, value, OptionUserWordAddress);

    /// <summary>PECR.OBL_LAUNCH: reloads the option bytes through a system reset (OBLRSTF).</summary>
    public void LaunchOptionByteLoading()
    {
        RequirePower();
        // A cut during OBL_LAUNCH, torn or not, is a cut before the reset: the next POR loads the option bytes anyway.
        if (Begin(NvmOperationKind.OptionByteLaunch, FlashPecrAddress, TimeSpan.Zero)) Cut(NvmOperationKind.OptionByteLaunch, FlashPecrAddress);
        Reset(ResetFlags.OptionByteLoad);
    }

    private FlashStatus ProgramOptionWord(ref uint word, ushort value, uint address)
    {
        RequirePower();
        if (Rdp == RdpLevel.Level2 && _assume.OptionBytesFrozenAtRdp2) return FlashStatus.WriteProtectionError; // L072Assumptions.OptionBytesFrozenAtRdp2
        if (Begin(NvmOperationKind.OptionByteWrite, address, _timings.OptionByteWrite))
        {
            // Torn: new value, old complement -> OPTVERR at the next load (L072Assumptions.InterruptedOperation).
            word = (word & 0xFFFF_0000) | value;
            Cut(NvmOperationKind.OptionByteWrite, address);
        }
        word = OptionWord(value);
        return FlashStatus.Ok;
    }

    private static uint OptionWord(ushort value) => ((uint)(ushort)~value << 16) | value;

    private void LoadOptionBytes()
    {
        bool rdpOk = (ushort)_rdpWord == (ushort)~(_rdpWord >> 16);
        bool userOk = (ushort)_userWord == (ushort)~(_userWord >> 16);
        // Mismatch fallbacks: L072Assumptions.RdpValueOnComplementMismatch / UserValueOnComplementMismatch.
        uint low = rdpOk ? (ushort)_rdpWord : _assume.RdpValueOnComplementMismatch;
        uint high = userOk ? (ushort)_userWord : _assume.UserValueOnComplementMismatch;
        _optr = (high << 16) | low;
        OptionValidityError = !(rdpOk && userOk);
    }

    // ---- program flash -------------------------------------------------------------------------------------

    /// <summary>Reads from logical flash addresses (0x0800_0000 … end), mapped through UFB.</summary>
    public void ReadFlash(uint address, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            if (!TryMapFlash(address + (uint)done, out int bank, out int offset))
                throw new ArgumentOutOfRangeException(nameof(address), $"0x{address + (uint)done:X8} is outside program flash");
            int page = offset / L072Part.PageSize, inPage = offset % L072Part.PageSize;
            int n = Math.Min(L072Part.PageSize - inPage, destination.Length - done);
            _pool.Get(_flash[bank][page]).Slice(inPage, n).CopyTo(destination.Slice(done, n));
            done += n;
        }
    }

    public uint ReadFlashWord(uint address)
    {
        Span<byte> w = stackalloc byte[4];
        ReadFlash(address, w);
        return BinaryPrimitives.ReadUInt32LittleEndian(w);
    }

    /// <summary>Reads a physical bank (1 or 2) regardless of UFB, as a debugger would.</summary>
    public void ReadPhysicalBank(int bank, int offset, Span<byte> destination)
    {
        var table = _flash[bank - 1];
        int done = 0;
        while (done < destination.Length)
        {
            int o = offset + done, page = o / L072Part.PageSize, inPage = o % L072Part.PageSize;
            int n = Math.Min(L072Part.PageSize - inPage, destination.Length - done);
            _pool.Get(table[page]).Slice(inPage, n).CopyTo(destination.Slice(done, n));
            done += n;
        }
    }

    /// <summary>Page erase: the 128-byte page holding <paramref name="address"/> becomes 0x00.</summary>
    public FlashStatus ErasePage(uint address)
    {
        RequirePower();
        if (!TryMapFlash(address, out int bank, out int offset)) return FlashStatus.SizeError;
        int page = offset / L072Part.PageSize;
        if (Begin(NvmOperationKind.PageErase, address, _timings.PageErase))
        {
            _flash[bank].Set(page, TornPage());
            Cut(NvmOperationKind.PageErase, address);
        }
        _flash[bank].Set(page, PagePool.ErasedPage);
        return FlashStatus.Ok;
    }

    /// <summary>Word program: the target must be erased (0x00000000) or NOTZEROERR and nothing is written.</summary>
    public FlashStatus ProgramWord(uint address, uint value)
    {
        RequirePower();
        if ((address & 3) != 0) return FlashStatus.ProgramAlignmentError;
        if (!TryMapFlash(address, out int bank, out int offset)) return FlashStatus.SizeError;
        if (ReadFlashWord(address) != 0) return FlashStatus.NotZeroError;
        Span<byte> bytes = stackalloc byte[4];
        if (Begin(NvmOperationKind.WordProgram, address, _timings.WordProgram))
        {
            TornBytes(bytes);
            WriteInPage(_flash[bank], offset, bytes);
            Cut(NvmOperationKind.WordProgram, address);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        WriteInPage(_flash[bank], offset, bytes);
        return FlashStatus.Ok;
    }

    /// <summary>
    /// Half-page program: 16 words (64 bytes) starting on a 64-byte boundary (else PGAERR). Every target word must be
    /// erased, else NOTZEROERR and nothing is written.
    /// </summary>
    public FlashStatus ProgramHalfPage(uint address, ReadOnlySpan<byte> data)
    {
        RequirePower();
        if (data.Length != L072Part.HalfPageSize) return FlashStatus.SizeError;
        if ((address & (L072Part.HalfPageSize - 1)) != 0) return FlashStatus.ProgramAlignmentError;
        if (!TryMapFlash(address, out int bank, out int offset)) return FlashStatus.SizeError;
        var table = _flash[bank];
        var current = _pool.Get(table[offset / L072Part.PageSize]).Slice(offset % L072Part.PageSize, L072Part.HalfPageSize);
        if (current.IndexOfAnyExcept((byte)0) >= 0) return FlashStatus.NotZeroError;
        if (Begin(NvmOperationKind.HalfPageProgram, address, _timings.HalfPageProgram))
        {
            Span<byte> torn = stackalloc byte[L072Part.HalfPageSize];
            TornBytes(torn);
            WriteInPage(table, offset, torn);
            Cut(NvmOperationKind.HalfPageProgram, address);
        }
        WriteInPage(table, offset, data);
        return FlashStatus.Ok;
    }

    /// <summary>Factory programming (SWD): puts interned content into a physical bank; not counted, no time.</summary>
    public void LoadPhysicalBank(int bank, BankContent content) => _flash[bank - 1].Load(content);

    /// <summary>Freezes a physical bank's content so other devices can share it via <see cref="LoadPhysicalBank"/>.</summary>
    public BankContent FreezePhysicalBank(int bank) => _flash[bank - 1].Freeze();

    /// <summary>The CRC unit over <paramref name="length"/> bytes of logical flash (reset first, word-fed, zero-padded).</summary>
    public uint ComputeFlashCrc(uint address, int length)
    {
        RequirePower();
        // The pages under the range, by content index: equal runs have equal CRCs (PageRunCrcMemo).
        int firstOffset = (int)(address % L072Part.PageSize);
        int pageCount = (firstOffset + length + L072Part.PageSize - 1) / L072Part.PageSize;
        Span<int> pages = pageCount <= 2048 ? stackalloc int[pageCount] : new int[pageCount];
        for (int i = 0, done = 0; done < length; i++)
        {
            if (!TryMapFlash(address + (uint)done, out int bank, out int offset))
                throw new ArgumentOutOfRangeException(nameof(length), $"0x{address + (uint)done:X8} is outside program flash");
            int inPage = offset % L072Part.PageSize;
            pages[i] = _flash[bank][offset / L072Part.PageSize];
            done += Math.Min(L072Part.PageSize - inPage, length - done);
        }
        if (_pool.Crcs.TryGet(pages, firstOffset, length, out uint known))
        {
            Crc.LoadResult(known);
        }
        else
        {
            Crc.Reset();
            for (int i = 0, done = 0; done < length; i++)
            {
                int inPage = i == 0 ? firstOffset : 0;
                int n = Math.Min(L072Part.PageSize - inPage, length - done);
                Crc.WriteWords(_pool.Get(pages[i]).Slice(inPage, n));
                done += n;
            }
            _pool.Crcs.Add(pages, firstOffset, length, Crc.Value);
        }
        Now += _timings.CrcPerWord * ((length + 3) / 4);
        return Crc.Value;
    }

    // ---- data EEPROM ---------------------------------------------------------------------------------------

    public uint ReadEepromWord(uint address)
    {
        var (bank, offset) = MapEeprom(address, 4);
        return BinaryPrimitives.ReadUInt32LittleEndian(_pool.Get(_eeprom[bank][offset / L072Part.PageSize]).Slice(offset % L072Part.PageSize, 4));
    }

    public byte ReadEepromByte(uint address)
    {
        var (bank, offset) = MapEeprom(address, 1);
        return _pool.Get(_eeprom[bank][offset / L072Part.PageSize])[offset % L072Part.PageSize];
    }

    /// <summary>EEPROM word write (any old value; EEPROM erases as it writes). UFB swaps the two banks.</summary>
    public FlashStatus WriteEepromWord(uint address, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        return WriteEeprom(address, b);
    }

    public FlashStatus WriteEepromByte(uint address, byte value) => WriteEeprom(address, [value]);

    private FlashStatus WriteEeprom(uint address, ReadOnlySpan<byte> bytes)
    {
        RequirePower();
        if ((address & (uint)(bytes.Length - 1)) != 0) return FlashStatus.ProgramAlignmentError;
        var (bank, offset) = MapEeprom(address, bytes.Length);
        if (Begin(NvmOperationKind.EepromWrite, address, _timings.EepromWrite))
        {
            Span<byte> torn = stackalloc byte[bytes.Length];
            TornBytes(torn);
            WriteInPage(_eeprom[bank], offset, torn);
            Cut(NvmOperationKind.EepromWrite, address);
        }
        WriteInPage(_eeprom[bank], offset, bytes);
        return FlashStatus.Ok;
    }

    private (int Bank, int Offset) MapEeprom(uint address, int size)
    {
        uint rel = address - L072Part.EepromBase;
        int total = Part.EepromBankBytes * Part.EepromBankCount;
        if (address < L072Part.EepromBase || rel + (uint)size > total)
            throw new ArgumentOutOfRangeException(nameof(address), $"0x{address:X8} is outside data EEPROM (0x{L072Part.EepromBase:X8}, {total} bytes)");
        int logical = (int)(rel / (uint)Part.EepromBankBytes);
        // UFB swaps the EEPROM banks too (reference §3, pitfall P9).
        int physical = Part.EepromBankCount == 2 && Ufb ? logical ^ 1 : logical;
        return (physical, (int)(rel % (uint)Part.EepromBankBytes));
    }

    // ---- internals -----------------------------------------------------------------------------------------

    /// <summary>Counts an operation. Returns true when the scheduled cut hits it torn (caller writes the torn content, then calls <see cref="Cut"/>).</summary>
    private bool Begin(NvmOperationKind kind, uint address, TimeSpan duration)
    {
        long index = ++OperationCount;
        _log?.Add(new NvmOperation(index, kind, address));
        if (index == _cutBefore)
        {
            if (_assume.InterruptedOperation == InterruptedOperation.Torn) return true;
            Cut(kind, address);
        }
        Now += duration;
        if (Watchdog.IsRunning && Now >= Watchdog.Deadline)
        {
            // The IWDG fired while the operation ran: modelled like a cut before it (nothing written), but the chip
            // resets instead of losing power, and the interrupted code stops.
            Now = Watchdog.Deadline;
            Reset(ResetFlags.IndependentWatchdog);
            throw new WatchdogResetException(new NvmOperation(index, kind, address));
        }
        return false;
    }

    private void Cut(NvmOperationKind kind, uint address)
    {
        _cutBefore = -1;
        PowerCutsInjected++;
        PowerOff();
        throw new PowerLostException(new NvmOperation(OperationCount, kind, address));
    }

    private void TornBytes(Span<byte> destination) => new Random(unchecked((int)OperationCount * 7919)).NextBytes(destination);

    private int TornPage()
    {
        Span<byte> page = stackalloc byte[L072Part.PageSize];
        TornBytes(page);
        return _pool.Intern(page);
    }

    private void WriteInPage(PageTable table, int offset, ReadOnlySpan<byte> data)
    {
        int page = offset / L072Part.PageSize, inPage = offset % L072Part.PageSize;
        Span<byte> buffer = stackalloc byte[L072Part.PageSize];
        _pool.Get(table[page]).CopyTo(buffer);
        data.CopyTo(buffer[inPage..]);
        table.Set(page, _pool.Intern(buffer));
    }

    private bool TryMapFlash(uint address, out int bank, out int offset)
    {
        uint rel = address - L072Part.FlashBase;
        if (address < L072Part.FlashBase || rel >= (uint)Part.FlashBytes) { bank = offset = 0; return false; }
        int logical = (int)(rel / (uint)Part.BankBytes);
        bank = Part.IsDualBank && Ufb ? logical ^ 1 : logical;
        offset = (int)(rel % (uint)Part.BankBytes);
        return true;
    }

    private void RequirePower()
    {
        if (!IsPowered) throw new InvalidOperationException("the device is unpowered; call PowerOn first");
    }

    private void Reset(ResetFlags cause)
    {
        ResetCount++;
        var pin = _assume.PinResetFlagOnInternalReset ? ResetFlags.Pin : ResetFlags.None; // L072Assumptions.PinResetFlagOnInternalReset
        ResetFlags = cause == ResetFlags.PowerOn ? cause | pin : ResetFlags | cause | pin;
        // Option bytes reach OPTR only at POR and OBL_LAUNCH, never at a plain system reset (reference §4).
        if (cause is ResetFlags.PowerOn or ResetFlags.OptionByteLoad) LoadOptionBytes();
        Ufb = false; // UFB resets to 0 on every reset (reference §3); only the ROM's BFB2 path sets it again
        Watchdog.ResetToDefaults();
        Crc.Reset();
        Now += _timings.Boot;
        if (!WatchdogSoftware) Watchdog.Start(Now); // hardware IWDG option: auto-start after every reset

        var decision = RomBootloader.Decide(new BootInputs(
            Boot0, NBoot1, Bfb2, Rdp, Configuration.RomBootloader, Configuration.Revision, Part.IsDualBank,
            Bank1Valid: BankPassesRomCheck(0),
            Bank2Valid: Part.IsDualBank && BankPassesRomCheck(1)), _assume);
        LastBootPath = decision.Path;
        Ufb = decision.Ufb;
        MemMode = decision.MemMode;
        State = decision.State;
    }

    private bool BankPassesRomCheck(int physicalBank)
    {
        var first = _pool.Get(_flash[physicalBank][0]);
        return RomBootloader.IsValidBank(
            BinaryPrimitives.ReadUInt32LittleEndian(first),
            BinaryPrimitives.ReadUInt32LittleEndian(first[4..]), _assume);
    }

    /// <summary>Approximate bytes this device owns privately (page tables not shared with others, EEPROM tables, fields).</summary>
    public long PrivateBytes
    {
        get
        {
            long n = 200; // object headers and fields, rounded
            foreach (var t in _flash) n += t.PrivateBytes + 32;
            foreach (var t in _eeprom) n += t.PrivateBytes + 32;
            return n;
        }
    }
}
