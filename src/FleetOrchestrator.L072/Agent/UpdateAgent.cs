using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.L072.Peripherals;

namespace FleetOrchestrator.L072.Agent;

/// <summary>
/// The device firmware's update logic, as pure code over an <see cref="L072Device"/>: the boot guard that runs
/// first at every boot, and the commands an orchestrator sends (stage in chunks, verify, swap, commit, roll back).
/// It also plays the model's "CPU": after each reset it reads the image marker at 0x0800_0000 and applies the
/// image's behaviour (crash, hang, ...), following resets until the device settles.
///
/// Rules it keeps (reference §9):
/// <list type="bullet">
/// <item>New images go to logical 0x0801_8000 (the inactive bank, P8), by page erase + half-page programming.</item>
/// <item>The active bank is read from UFB (P7). A swap toggles BFB2: the agent keeps BFB2 == UFB whenever no trial
/// is running (it repairs a mismatch at boot), so "toggle" and "select the other bank" (BFB2 := !UFB) coincide.</item>
/// <item>The boot record lives in physical EEPROM bank 1 whatever UFB says (P9), mirrored in two slots.</item>
/// <item>Order of writes makes every power cut safe: the staged marker is cleared before the bank is touched, the
/// trial is recorded before BFB2 changes, a revert is recorded before BFB2 changes back.</item>
/// </list>
/// RAM state (the staging session) is lost on every reset, like on the real part: staging restarts after a reset.
/// Every command may throw <see cref="PowerLostException"/> when a power cut was injected; call
/// <see cref="PowerOn"/> afterwards.
/// </summary>
public sealed class UpdateAgent
{
    private const ushort UserBfb2 = 0x0080; // OPTR bit 23 = bit 7 of the USER option word

    private readonly L072Device _device;
    private readonly UpdateAgentOptions _options;
    private readonly BootRecordStore _store;

    // RAM of the running firmware, valid for one reset epoch.
    private long _epoch = -1;
    private DeviceRunState _runState = DeviceRunState.Unpowered;
    private DeviceResetCause _lastResetCause = DeviceResetCause.PowerOn;
    private ImageMarker? _runningMarker;
    private uint? _runningCrc;
    private StagingSession? _staging;

    public UpdateAgent(L072Device device, UpdateAgentOptions? options = null)
    {
        _device = device;
        _options = options ?? UpdateAgentOptions.Default;
        _store = new BootRecordStore(device);
    }

    public L072Device Device => _device;
    public UpdateAgentOptions Options => _options;

    /// <summary>Where staging expects the next byte, or null without a staging session (e.g. after a reset).</summary>
    public int? StagingNextOffset => SessionAlive ? _staging!.NextOffset : null;

    // ---- power and time ------------------------------------------------------------------------------------

    /// <summary>Applies power and runs boot logic + firmware until the device settles.</summary>
    public void PowerOn()
    {
        if (_device.IsPowered) return;
        _device.PowerOn();
        Settle();
    }

    /// <summary>Lets time pass with the firmware running (it refreshes the IWDG unless its image hangs).</summary>
    public void Advance(TimeSpan duration)
    {
        if (!_device.IsPowered) { _device.AdvanceTime(duration); return; }
        if (_runState == DeviceRunState.Running) _device.RefreshWatchdog();
        if (_device.AdvanceTime(duration)) Settle();
        else if (_runState == DeviceRunState.Running) _device.RefreshWatchdog();
    }

    /// <summary>Call after resetting the device from outside (e.g. a simulated reset button), to run the firmware.</summary>
    public void RunAfterReset() => Settle();

    // ---- report --------------------------------------------------------------------------------------------

    public AgentReport Report()
    {
        var runState = CurrentRunState;
        var record = runState == DeviceRunState.Unpowered ? null : _store.Read();
        int active = _device.ActivePhysicalBank;
        UpdatePhase phase = UpdatePhase.Committed;
        StagedImageInfo? staged = null;
        if (record is not null)
        {
            if (record.State == BootRecordState.TrialArmed && record.TrialBank == active) phase = UpdatePhase.Trial;
            else if (record.State == BootRecordState.Reverting && record.TrialBank != active) phase = UpdatePhase.RolledBack;
            if (record.HasStagedImage && record.StagedBank == OtherBank(active) && runState == DeviceRunState.Running)
                staged = new StagedImageInfo(record.StagedCrc, record.StagedSize, BankImage.Read(_device, _device.Part.Bank2Address).Marker?.Version);
        }
        bool running = runState == DeviceRunState.Running;
        return new AgentReport(
            runState,
            running ? _runningMarker?.Version : null,
            running ? RunningImageCrc() : null,
            active, _device.Ufb, _device.Bfb2, phase,
            record?.State == BootRecordState.TrialArmed ? record.FailedBoots : 0,
            _lastResetCause, staged, record?.LastRevert ?? RevertReason.None,
            running && _runningMarker?.Behaviour != ImageBehaviour.FailsHealth,
            _device.Configuration.RomBootloader, _device.Configuration.Revision, _device.Rdp,
            _device.Part.FlashSizeKb, _options.AgentVersion);
    }

    /// <summary>The running image's own health check.</summary>
    public bool CheckHealth() => CurrentRunState == DeviceRunState.Running && _runningMarker?.Behaviour != ImageBehaviour.FailsHealth;

    /// <summary>
    /// The verified image the inactive bank holds (staged, else kept from before the last swap), proved now: the CRC
    /// unit runs over its recorded size, never a remembered result (PROTOCOL.md §8.8). Null when the record names no
    /// image in the inactive bank, or no firmware runs.
    /// </summary>
    public InactiveImageInfo? InactiveImage()
    {
        if (CurrentRunState != DeviceRunState.Running || !_device.Part.IsDualBank) return null;
        var record = _store.Read();
        int other = OtherBank(_device.ActivePhysicalBank);
        var (recorded, size) =
            record.HasStagedImage && record.StagedBank == other ? (record.StagedCrc, record.StagedSize)
            : record.HasPreviousImage && record.PreviousBank == other ? (record.PreviousCrc, record.PreviousSize)
            : (0u, 0);
        if (size == 0) return null;
        uint now = _device.ComputeFlashCrc(_device.Part.Bank2Address, size);
        var version = BankImage.Read(_device, _device.Part.Bank2Address).Marker?.Version;
        return new InactiveImageInfo(version, size, recorded, now, now == recorded && StagedImageBootable());
    }

    // ---- staging -------------------------------------------------------------------------------------------

    /// <summary>
    /// Starts writing an image of <paramref name="imageSize"/> bytes into the inactive bank (logical 0x0801_8000).
    /// Clears any record of a previously staged image first, so a cut while the bank is half-written can never be
    /// taken for a verified image.
    /// </summary>
    public AgentResult BeginStaging(int imageSize, uint expectedCrc) => Command(() =>
    {
        if (NotRunning() is { } notRunning) return notRunning;
        if (!_device.Part.IsDualBank) return AgentResult.Rejected("single-bank part: no inactive bank");
        if (imageSize <= 0 || imageSize > _device.Part.BankBytes)
            return AgentResult.Rejected($"image size {imageSize} is outside 1..{_device.Part.BankBytes} bytes");
        var record = _store.Read();
        if (record.State == BootRecordState.TrialArmed)
            return AgentResult.Rejected("a trial is running: commit or roll back first");
        // A finished revert (Reverting, trial bank inactive) becomes Committed here, so no stale trial state refers
        // to the bank about to be rewritten; LastRevert stays for the report.
        // The previous image is forgotten here too, before the first erase touches its bank (PROTOCOL.md §8.8).
        if (record.HasStagedImage || record.HasPreviousImage || record.State != BootRecordState.Committed)
            _store.Write(record.WithoutStagedImage().WithoutPreviousImage()
                with { State = BootRecordState.Committed, TrialBank = 0, FailedBoots = 0 });
        _staging = new StagingSession(imageSize, expectedCrc);
        return AgentResult.Done(nextOffset: 0);
    });

    /// <summary>
    /// Appends bytes at <paramref name="offset"/>, which must be where the previous chunk ended (else rejected with
    /// the expected offset, so the sender can resume). Programs every completed half-page (erasing a page before its
    /// first half).
    /// </summary>
    public AgentResult WriteChunk(int offset, ReadOnlySpan<byte> bytes)
    {
        if (NotRunning() is { } notRunning) return notRunning;
        if (!SessionAlive) return AgentResult.Rejected("no staging session (BeginStaging first; sessions end at reset)");
        var s = _staging!;
        if (s.Failed is not null) return AgentResult.Rejected($"staging failed: {s.Failed}");
        if (offset != s.NextOffset) return AgentResult.Rejected($"expected offset {s.NextOffset}, got {offset}", s.NextOffset);
        if (offset + bytes.Length > s.Size) return AgentResult.Rejected($"chunk ends at {offset + bytes.Length}, beyond the image size {s.Size}", s.NextOffset);
        try
        {
            while (!bytes.IsEmpty)
            {
                int n = Math.Min(bytes.Length, L072Part.HalfPageSize - s.Buffered);
                bytes[..n].CopyTo(s.HalfPage.AsSpan(s.Buffered));
                s.Buffered += n;
                s.NextOffset += n;
                bytes = bytes[n..];
                if (s.Buffered == L072Part.HalfPageSize && FlushHalfPage(s) is { } failure) return failure;
            }
        }
        catch (WatchdogResetException)
        {
            Settle();
            return AgentResult.Failed("IWDG reset while programming");
        }
        return AgentResult.Done(nextOffset: s.NextOffset);
    }

    /// <summary>
    /// Programs the last partial half-page, computes the CRC of the staged bytes with the CRC unit over the inactive
    /// bank and compares it with the expected CRC. On success the record says "staged: CRC, size, bank".
    /// </summary>
    public AgentResult FinishStaging() => Command(() =>
    {
        if (NotRunning() is { } notRunning) return notRunning;
        if (!SessionAlive) return AgentResult.Rejected("no staging session (BeginStaging first; sessions end at reset)");
        var s = _staging!;
        if (s.Failed is not null) return AgentResult.Rejected($"staging failed: {s.Failed}");
        if (s.NextOffset != s.Size) return AgentResult.Rejected($"only {s.NextOffset} of {s.Size} bytes received", s.NextOffset);
        if (s.Buffered > 0)
        {
            Array.Clear(s.HalfPage, s.Buffered, L072Part.HalfPageSize - s.Buffered);
            s.Buffered = L072Part.HalfPageSize;
            if (FlushHalfPage(s) is { } failure) return failure;
        }
        _staging = null;
        uint crc = _device.ComputeFlashCrc(_device.Part.Bank2Address, s.Size);
        if (crc != s.ExpectedCrc) return AgentResult.Failed($"CRC unit gives 0x{crc:X8}, expected 0x{s.ExpectedCrc:X8}", crc);
        if (!StagedImageBootable()) return AgentResult.Failed("staged image has no vector table the ROM accepts (SP) or the core can run", crc);
        var record = _store.Read();
        _store.Write(record with { StagedCrc = crc, StagedSize = s.Size, StagedBank = OtherBank(_device.ActivePhysicalBank) });
        return AgentResult.Done(crc);
    });

    /// <summary>Forgets and erases the inactive bank (all its pages).</summary>
    public AgentResult EraseStaged() => Command(() =>
    {
        if (NotRunning() is { } notRunning) return notRunning;
        if (!_device.Part.IsDualBank) return AgentResult.Rejected("single-bank part: no inactive bank");
        var record = _store.Read();
        if (record.State == BootRecordState.TrialArmed) return AgentResult.Rejected("a trial is running: commit or roll back first");
        _staging = null;
        if (record.HasStagedImage || record.HasPreviousImage)
            _store.Write(record.WithoutStagedImage().WithoutPreviousImage());
        for (int p = 0; p < _device.Part.PagesPerBank; p++)
        {
            _device.RefreshWatchdog();
            var status = _device.ErasePage(_device.Part.Bank2Address + (uint)(p * L072Part.PageSize));
            if (status != FlashStatus.Ok) return AgentResult.Failed($"page erase failed: {status}");
        }
        return AgentResult.Done();
    });

    // ---- swap, commit, roll back ---------------------------------------------------------------------------

    /// <summary>
    /// Arms the boot guard for the staged image, toggles BFB2 and launches option-byte loading: the device resets
    /// and (normally) boots the staged image on trial. Idempotent: already on trial with that image -> AlreadyDone.
    /// With nothing staged, the image kept in the inactive bank from before the last swap (its recorded CRC equal to
    /// <paramref name="expectedCrc"/>) is swapped back to the same way: re-proved, then on trial (PROTOCOL.md §8.8).
    /// The running image becomes the kept one.
    /// </summary>
    public AgentResult AuthorizeSwap(uint expectedCrc) => Command(() =>
    {
        if (NotRunning() is { } notRunning) return notRunning;
        var record = _store.Read();
        int active = _device.ActivePhysicalBank;
        if (record.State == BootRecordState.TrialArmed && record.TrialBank == active)
            return record.StagedCrc == expectedCrc
                ? AgentResult.AlreadyDone("already running that image on trial")
                : AgentResult.Rejected("a different image is on trial");
        if ((!record.HasStagedImage || record.StagedBank != OtherBank(active))
            && record.HasPreviousImage && record.PreviousBank == OtherBank(active)
            && record.PreviousCrc == expectedCrc)
            record = record with
            {
                StagedCrc = record.PreviousCrc, StagedSize = record.PreviousSize, StagedBank = record.PreviousBank,
            };
        if (!record.HasStagedImage || record.StagedBank != OtherBank(active))
            return AgentResult.Rejected("nothing verified is staged in the inactive bank");
        if (record.StagedCrc != expectedCrc)
            return AgentResult.Rejected($"staged image has CRC 0x{record.StagedCrc:X8}, not 0x{expectedCrc:X8}");
        // Re-prove the bank right before switching to it: nothing may have changed it, but a swap to a bad bank is the
        // one mistake that can brick (a direct bank-1 boot does no validity check).
        if (_device.ComputeFlashCrc(_device.Part.Bank2Address, record.StagedSize) != record.StagedCrc || !StagedImageBootable())
        {
            _store.Write(record.WithoutStagedImage().WithoutPreviousImage()
                with { LastRevert = RevertReason.StagedImageCorrupt });
            return AgentResult.Failed("staged image no longer matches its CRC");
        }
        _store.Write(record with
        {
            State = BootRecordState.TrialArmed, TrialBank = OtherBank(active), FailedBoots = 0,
            LastRevert = RevertReason.None,
            PreviousCrc = RunningImageCrc(), PreviousSize = RunningImageSize(), PreviousBank = active,
        });
        if (SelectBootBank(OtherBank(active)) is { } failure) return failure;
        _device.LaunchOptionByteLoading();
        Settle();
        return AgentResult.Done();
    });

    /// <summary>Keeps the trial image: disarms the boot guard. Idempotent.</summary>
    public AgentResult Commit() => Command(() =>
    {
        if (NotRunning() is { } notRunning) return notRunning;
        var record = _store.Read();
        int active = _device.ActivePhysicalBank;
        if (record.State == BootRecordState.TrialArmed && record.TrialBank == active)
        {
            // The inactive bank now holds the previous image: it is not "staged" (nothing verified to swap to).
            _store.Write(record.WithoutStagedImage() with { State = BootRecordState.Committed, TrialBank = 0, FailedBoots = 0, LastRevert = RevertReason.None });
            return AgentResult.Done();
        }
        if (record.State == BootRecordState.Reverting) return AgentResult.Rejected("the trial image was rolled back");
        return AgentResult.AlreadyDone("no trial running: the running image is committed");
    });

    /// <summary>Goes back to the previous image now (records the revert, toggles BFB2 back, OBL_LAUNCH). Idempotent.</summary>
    public AgentResult RollBack() => Command(() =>
    {
        if (NotRunning() is { } notRunning) return notRunning;
        var record = _store.Read();
        int active = _device.ActivePhysicalBank;
        if (record.State == BootRecordState.Reverting && record.TrialBank != active)
            return AgentResult.AlreadyDone("already rolled back");
        if (record.State != BootRecordState.TrialArmed || record.TrialBank != active)
            return AgentResult.Rejected("no trial image is running: nothing to roll back to");
        Revert(record, RevertReason.Commanded);
        Settle();
        return AgentResult.Done();
    });

    // ---- the firmware after reset --------------------------------------------------------------------------

    /// <summary>
    /// Follows the device from a reset until it settles: the boot guard of the running image, then the image's
    /// behaviour; crashes and IWDG resets loop back here.
    /// </summary>
    private void Settle()
    {
        for (int resets = 0; resets <= _options.MaxResetsWhileSettling; resets++)
        {
            _epoch = _device.ResetCount;
            _staging = null;
            _runningMarker = null;
            _runningCrc = null;
            switch (_device.State)
            {
                case ExecutionState.Unpowered: _runState = DeviceRunState.Unpowered; return;
                case ExecutionState.RomWaitingForHost: _runState = DeviceRunState.RomWaitingForHost; return;
                case ExecutionState.ExecutingSram: _runState = DeviceRunState.SramBoot; return;
                case ExecutionState.Lockup: _runState = DeviceRunState.Lockup; return;
            }

            var image = BankImage.Read(_device, L072Part.FlashBase);
            if (!image.CanExecute(_device.Part))
            {
                _device.EnterLockup();
                _runState = DeviceRunState.Lockup;
                return;
            }
            _runningMarker = image.Marker;
            _runState = DeviceRunState.Running;
            long before = _device.ResetCount;
            try
            {
                RunBootGuard();
            }
            catch (WatchdogResetException)
            {
                continue; // an IWDG shorter than one flash operation: the chip has reset, follow it
            }
            if (_device.ResetCount != before) continue; // the guard launched option-byte loading

            var behaviour = image.Marker?.Behaviour ?? ImageBehaviour.Boots; // unmarked (real) images boot fine
            bool interruptsHitRom = image.Marker?.LacksVtorFix == true && _device.MemMode != MemoryMode.MainFlash;
            if (behaviour == ImageBehaviour.CrashLoop
                || (_options.CrashesOnVersion is { } crashing && image.Marker?.Version == crashing))
            {
                _device.SoftwareReset();
                continue;
            }
            if (behaviour == ImageBehaviour.Hang || interruptsHitRom)
            {
                // Hang: stops refreshing. Missing VTOR fix: the first interrupt vectors through the ROM table, faults,
                // and the default fault handler spins until the IWDG the guard started fires.
                if (!_device.Watchdog.IsRunning) { _runState = DeviceRunState.Hung; return; }
                _device.AdvanceTime(_device.Watchdog.Deadline > _device.Now ? _device.Watchdog.Deadline - _device.Now : TimeSpan.Zero);
                continue;
            }
            _device.RefreshWatchdog();
            return;
        }
        _runState = DeviceRunState.CrashLooping;
    }

    /// <summary>Runs first at every boot of any image: reset cause, IWDG, trial accounting, finishing interrupted swaps/reverts.</summary>
    private void RunBootGuard()
    {
        var flags = _device.ResetFlags;
        _device.ClearResetFlags();
        _lastResetCause = Classify(flags);
        _device.Watchdog.Configure(_options.WatchdogPrescaler, _options.WatchdogReload);
        _device.StartWatchdog();
        if (!_device.Part.IsDualBank) return;

        var record = _store.Read();
        int active = _device.ActivePhysicalBank;
        switch (record.State)
        {
            case BootRecordState.TrialArmed when record.TrialBank == active:
                // PROTOCOL.md §8.5: a reset the image caused counts against its trial.
                if (CountsAgainstTrial(_lastResetCause))
                {
                    int failed = record.FailedBoots + 1;
                    if (failed >= _options.MaxFailedTrialBoots)
                        Revert(record, _lastResetCause == DeviceResetCause.IndependentWatchdog ? RevertReason.WatchdogLoop : RevertReason.CrashLoop);
                    else
                        _store.Write(record with { FailedBoots = failed });
                }
                // Power-on, pin and option-load resets are not the image's fault: not counted.
                return;

            case BootRecordState.TrialArmed:
                // Running the old bank with a trial armed: either BFB2 was never switched (power cut between the
                // record and the option-byte write), or it was and the boot logic refused the trial bank.
                if (_device.Bfb2 == (record.TrialBank == 2))
                {
                    _store.Write(record.WithoutStagedImage().WithoutPreviousImage() with
                    {
                        State = BootRecordState.Committed, TrialBank = 0, FailedBoots = 0,
                        LastRevert = RevertReason.SwapNotBooted,
                    });
                    NormaliseBfb2();
                    return;
                }
                if (_device.ComputeFlashCrc(_device.Part.Bank2Address, record.StagedSize) != record.StagedCrc || !StagedImageBootable())
                {
                    _store.Write(record.WithoutStagedImage().WithoutPreviousImage() with
                    {
                        State = BootRecordState.Committed, TrialBank = 0, LastRevert = RevertReason.StagedImageCorrupt,
                    });
                    return;
                }
                if (SelectBootBank(record.TrialBank) is null) _device.LaunchOptionByteLoading();
                return;

            case BootRecordState.Reverting when record.TrialBank == active:
                // A revert was recorded but BFB2 did not change yet (power cut): finish it.
                if (SelectBootBank(OtherBank(active)) is null) _device.LaunchOptionByteLoading();
                return;

            default:
                NormaliseBfb2();
                return;
        }
    }

    /// <summary>Records the revert, then points BFB2 back at the other bank and reloads option bytes (the caller settles).</summary>
    private void Revert(BootRecord record, RevertReason reason)
    {
        // The kept image is the one that runs again: nothing is kept in the other bank any more.
        _store.Write(record.WithoutStagedImage().WithoutPreviousImage()
            with { State = BootRecordState.Reverting, LastRevert = reason });
        if (SelectBootBank(OtherBank(_device.ActivePhysicalBank)) is null) _device.LaunchOptionByteLoading();
    }

    /// <summary>
    /// Outside a trial BFB2 must select the bank that runs (BFB2 == UFB). It can differ after the ROM fell back to
    /// bank 1 (P7) or on parts that ignore BFB2; left alone, the next swap "toggle" would go the wrong way.
    /// </summary>
    private void NormaliseBfb2()
    {
        if (_device.Bfb2 == _device.Ufb) return;
        if (SelectBootBank(_device.ActivePhysicalBank) is null) _device.LaunchOptionByteLoading();
    }

    /// <summary>
    /// Programs BFB2 so that the next option-byte load boots <paramref name="physicalBank"/>: BFB2 = 1 for bank 2,
    /// 0 for bank 1. Called only with the bank that is not running (a toggle, P8) or, to repair, the running one.
    /// Starts from the loaded OPTR (what is in effect), clears OPTVERR first (P10). Returns null on success.
    /// </summary>
    private AgentResult? SelectBootBank(int physicalBank)
    {
        ushort user = (ushort)(_device.OptionRegister >> 16);
        ushort wanted = physicalBank == 2 ? (ushort)(user | UserBfb2) : (ushort)(user & ~UserBfb2);
        uint stored = _device.StoredUserWord;
        if ((ushort)stored == wanted && (ushort)(stored >> 16) == (ushort)~wanted) return null; // already programmed
        _device.ClearOptionValidityError();
        _device.RefreshWatchdog();
        var status = _device.ProgramUserOption(wanted);
        return status == FlashStatus.Ok ? null : AgentResult.Failed($"option-byte write failed: {status}");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private AgentResult? FlushHalfPage(StagingSession s)
    {
        int offset = s.HalfPagesWritten * L072Part.HalfPageSize;
        uint address = _device.Part.Bank2Address + (uint)offset;
        _device.RefreshWatchdog();
        if (offset % L072Part.PageSize == 0)
        {
            var erase = _device.ErasePage(address);
            if (erase != FlashStatus.Ok) return Fail(s, $"page erase at 0x{address:X8}: {erase}");
            _device.RefreshWatchdog();
        }
        var status = _device.ProgramHalfPage(address, s.HalfPage);
        if (status != FlashStatus.Ok) return Fail(s, $"half-page program at 0x{address:X8}: {status}");
        s.HalfPagesWritten++;
        s.Buffered = 0;
        return null;

        static AgentResult Fail(StagingSession s, string reason)
        {
            s.Failed = reason;
            return AgentResult.Failed(reason);
        }
    }

    private bool StagedImageBootable()
    {
        var staged = BankImage.Read(_device, _device.Part.Bank2Address);
        return staged.CanExecute(_device.Part)
               && Boot.RomBootloader.IsValidBank(staged.InitialStackPointer, staged.ResetVector, _device.Configuration.Assumptions);
    }

    private uint RunningImageCrc()
    {
        if (_runningCrc is uint cached) return cached;
        uint crc = _device.ComputeFlashCrc(L072Part.FlashBase, RunningImageSize());
        _runningCrc = crc;
        return crc;
    }

    private int RunningImageSize() =>
        _runningMarker?.ImageSize is int s && s > 0 && s <= _device.Part.BankBytes ? s : TrimmedActiveBankSize();

    private int TrimmedActiveBankSize()
    {
        var bank = new byte[_device.Part.BankBytes];
        _device.ReadFlash(L072Part.FlashBase, bank);
        int last = bank.AsSpan().LastIndexOfAnyExcept((byte)0);
        return last < 0 ? 0 : (last + 4) & ~3;
    }

    private static int OtherBank(int bank) => bank == 1 ? 2 : 1;

    private bool SessionAlive => _staging is not null && _epoch == _device.ResetCount && _device.IsPowered;

    private DeviceRunState CurrentRunState =>
        !_device.IsPowered ? DeviceRunState.Unpowered
        : _epoch != _device.ResetCount ? StateWithoutFirmware()
        : _runState;

    private DeviceRunState StateWithoutFirmware() => _device.State switch
    {
        ExecutionState.RomWaitingForHost => DeviceRunState.RomWaitingForHost,
        ExecutionState.ExecutingSram => DeviceRunState.SramBoot,
        ExecutionState.Lockup => DeviceRunState.Lockup,
        _ => _runState,
    };

    private AgentResult? NotRunning()
    {
        var state = CurrentRunState;
        if (state == DeviceRunState.Running && _epoch == _device.ResetCount) return null;
        return AgentResult.Rejected($"no firmware is running (device is {state})");
    }

    /// <summary>Runs a command; an IWDG reset in the middle ends it (the firmware restarts from reset).</summary>
    private AgentResult Command(Func<AgentResult> body)
    {
        try
        {
            return body();
        }
        catch (WatchdogResetException)
        {
            Settle();
            return AgentResult.Failed("IWDG reset while the command ran");
        }
    }

    /// <summary>The trial-boot rule of PROTOCOL.md §8.5: watchdog, software, firewall and low-power resets are
    /// the image's.</summary>
    public static bool CountsAgainstTrial(DeviceResetCause cause) => cause is DeviceResetCause.IndependentWatchdog
        or DeviceResetCause.WindowWatchdog or DeviceResetCause.Software or DeviceResetCause.Firewall
        or DeviceResetCause.LowPower;

    private static DeviceResetCause Classify(ResetFlags f) =>
        f.HasFlag(ResetFlags.IndependentWatchdog) ? DeviceResetCause.IndependentWatchdog
        : f.HasFlag(ResetFlags.WindowWatchdog) ? DeviceResetCause.WindowWatchdog
        : f.HasFlag(ResetFlags.Software) ? DeviceResetCause.Software
        : f.HasFlag(ResetFlags.OptionByteLoad) ? DeviceResetCause.OptionByteLoad
        : f.HasFlag(ResetFlags.LowPower) ? DeviceResetCause.LowPower
        : f.HasFlag(ResetFlags.Firewall) ? DeviceResetCause.Firewall
        : f.HasFlag(ResetFlags.PowerOn) ? DeviceResetCause.PowerOn
        : DeviceResetCause.Pin;

    private sealed class StagingSession(int size, uint expectedCrc)
    {
        public int Size { get; } = size;
        public uint ExpectedCrc { get; } = expectedCrc;
        public int NextOffset { get; set; }
        public int HalfPagesWritten { get; set; }
        public byte[] HalfPage { get; } = new byte[L072Part.HalfPageSize];
        public int Buffered { get; set; }
        public string? Failed { get; set; }
    }
}
