namespace FleetOrchestrator.L072.Peripherals;

/// <summary>
/// IWDG in simulated time: once started it cannot be stopped by software (there is deliberately no Stop), only a
/// reset stops it. Timeout = 4·2^PR·(RLR+1)/f_LSI (reference §7).
/// </summary>
public sealed class IndependentWatchdog
{
    private readonly int _lsiHz;

    internal IndependentWatchdog(int lsiHz) => _lsiHz = lsiHz;

    public bool IsRunning { get; private set; }
    /// <summary>PR[2:0]: 0 = /4 … 6 = /256.</summary>
    public int Prescaler { get; private set; }
    /// <summary>RLR, 12 bits.</summary>
    public int Reload { get; private set; } = 0xFFF;
    /// <summary>Simulated instant at which the counter reaches zero (meaningful while running).</summary>
    public TimeSpan Deadline { get; private set; }

    public TimeSpan Timeout => TimeSpan.FromSeconds(4.0 * (1 << Prescaler) * (Reload + 1) / _lsiHz);

    /// <summary>0x5555 then PR/RLR writes; takes effect at the next reload, like the hardware.</summary>
    public void Configure(int prescaler, int reload)
    {
        if (prescaler is < 0 or > 6) throw new ArgumentOutOfRangeException(nameof(prescaler), prescaler, "PR is 0 (/4) … 6 (/256)");
        if (reload is < 0 or > 0xFFF) throw new ArgumentOutOfRangeException(nameof(reload), reload, "RLR is 12 bits");
        Prescaler = prescaler;
        Reload = reload;
    }

    /// <summary>0xCCCC.</summary>
    public void Start(TimeSpan now)
    {
        IsRunning = true;
        Deadline = now + Timeout;
    }

    /// <summary>0xAAAA.</summary>
    public void Refresh(TimeSpan now)
    {
        if (IsRunning) Deadline = now + Timeout;
    }

    internal void ResetToDefaults()
    {
        IsRunning = false;
        Prescaler = 0;
        Reload = 0xFFF;
    }
}
