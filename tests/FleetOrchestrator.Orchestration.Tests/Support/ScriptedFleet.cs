using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Messages;
using FleetOrchestrator.Protocol.Ports;

namespace FleetOrchestrator.Orchestration.Tests.Support;

/// <summary>
/// A transport whose devices answer every command at once, as a healthy L072 would (or, for the ids in
/// <see cref="CrashLooping"/>, with a new image that resets again right after its first boot). Each device starts on
/// <see cref="Fleet.Old"/> from bank 1; a download stages the other version (new when it runs the old one, and back).
/// Answers go through the inbound port, so they reach the sharded device actors as real traffic.
/// </summary>
public sealed class ScriptedFleet : IDeviceCommandSender
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Device> _devices = new(StringComparer.Ordinal);
    private IDeviceTrafficHandler? _inbound;

    public HashSet<string> CrashLooping { get; } = new(StringComparer.Ordinal);

    /// <summary>Devices that receive commands but do not answer (offline), until removed.</summary>
    public HashSet<string> Silent { get; } = new(StringComparer.Ordinal);

    public void Attach(IDeviceTrafficHandler inbound) => _inbound = inbound;

    public SemanticVersion RunningOf(string deviceId)
    {
        lock (_gate) return _devices.TryGetValue(deviceId, out var d) ? d.Running : Fleet.Old;
    }

    public ValueTask SendAsync(string deviceId, DeviceCommand command, CancellationToken cancellationToken = default)
    {
        var inbound = _inbound ?? throw new InvalidOperationException("ScriptedFleet: Attach the inbound port first");
        lock (_gate)
        {
            if (Silent.Contains(deviceId)) return ValueTask.CompletedTask;
            if (!_devices.TryGetValue(deviceId, out var d)) _devices[deviceId] = d = new Device();
            foreach (var answer in Answer(deviceId, d, command))
                inbound.OnEvent(deviceId, answer);
        }
        return ValueTask.CompletedTask;
    }

    private IEnumerable<DeviceEvent> Answer(string deviceId, Device d, DeviceCommand command)
    {
        switch (command)
        {
            case GetState get:
                // On trial the state carries the health verdict (PROTOCOL.md §6.3): this fleet's images are healthy.
                yield return new StateReported(get.Id, ++d.Sequence, Fleet.Report(d.Running, d.Bank, d.Image) with
                {
                    Health = d.Image == ImageState.Trial ? TrialHealth.Passed : null,
                });
                break;
            case StartDownload download:
                yield return new CommandAcknowledged(download.Id, ++d.Sequence, true, null);
                var staged = d.Running == Fleet.Old ? Fleet.New : Fleet.Old;
                yield return new ImageStaged(download.Id, ++d.Sequence, staged, 90_000, Fleet.NewCrc);
                break;
            case AuthorizeSwap swap:
                yield return new CommandAcknowledged(swap.Id, ++d.Sequence, true, null);
                d.Previous = (d.Running, d.Bank);
                d.Running = swap.Version;
                d.Bank = d.Bank == BankId.Bank1 ? BankId.Bank2 : BankId.Bank1;
                d.Image = ImageState.Trial;
                yield return new DeviceBooted(null, ++d.Sequence, d.Running, d.Bank, ImageState.Trial,
                    ResetCause.OptionByteLoad, 1);
                if (CrashLooping.Contains(deviceId) && swap.Version == Fleet.New)
                    yield return new DeviceBooted(null, ++d.Sequence, d.Running, d.Bank, ImageState.Trial,
                        ResetCause.IndependentWatchdog, 2);
                else
                    yield return new HealthReported(null, ++d.Sequence, true, "self-test passed");
                break;
            case CommitImage commit:
                d.Image = ImageState.Committed;
                yield return new ImageCommitted(commit.Id, ++d.Sequence, commit.Version);
                break;
            case RollBack rollBack:
                (d.Running, d.Bank) = d.Previous;
                d.Image = ImageState.Committed;
                yield return new RolledBackOnDevice(rollBack.Id, ++d.Sequence, d.Running, rollBack.Reason);
                break;
            case EraseStaged erase:
                yield return new CommandAcknowledged(erase.Id, ++d.Sequence, true, null);
                break;
        }
    }

    private sealed class Device
    {
        public SemanticVersion Running { get; set; } = Fleet.Old;
        public BankId Bank { get; set; } = BankId.Bank1;
        public ImageState Image { get; set; } = ImageState.Committed;
        public (SemanticVersion, BankId) Previous { get; set; } = (Fleet.Old, BankId.Bank1);
        public long Sequence { get; set; }
    }
}
