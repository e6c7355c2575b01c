using FleetOrchestrator.Host.Orchestrator;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Protocol.Messages;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Host.Provisioning;

/// <summary>
/// Asks provisioned devices the orchestrator has never heard from for their state (<c>getState</c>), every
/// <see cref="OrchestratorOptions.UnseenDeviceSweep"/>. A device announces itself once per connection (status, boot,
/// state: PROTOCOL.md §2); when that announcement is lost on the way (the node that took it from the broker died, a
/// restarting shard dropped it), the device is in no view and no rollout plan until it reconnects, which a sleeping
/// LTE-M device may not do for days. The sweep turns its presence into a question: its answer is an ordinary state
/// report. A device must be unseen at two sweeps in a row to be asked, so a fleet still connecting is left alone, and
/// at most <see cref="MaxPerSweep"/> are asked at once. A device that never connected has no session at the broker,
/// which drops the command: one publish per such device per period. Every node sweeps; an answer to two questions
/// is two equal reports, and the saga journals only the first.
/// </summary>
internal sealed class UnseenDeviceSweep(
    DeviceRegistry registry,
    FleetReadStore readModel,
    DeferredCommandSender commands,
    OrchestratorOptions options,
    TimeProvider time,
    ILoggerFactory logs) : BackgroundService
{
    public const int MaxPerSweep = 1000;
    private readonly ILogger _log = logs.CreateLogger("FleetOrchestrator.UnseenDeviceSweep");
    private IReadOnlySet<string> _unseenBefore = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The devices to ask now: provisioned, without a row in the read model, and unseen at the previous sweep too
    /// (<paramref name="unseenBefore"/>); at most <paramref name="limit"/>, in id order. Also returns this sweep's
    /// unseen set, the next sweep's <paramref name="unseenBefore"/>.
    /// </summary>
    public static (IReadOnlyList<string> Ask, IReadOnlySet<string> Unseen) Due(IEnumerable<string> provisioned,
        IReadOnlySet<string> known, IReadOnlySet<string> unseenBefore, int limit)
    {
        var unseen = provisioned.Where(id => !known.Contains(id)).ToHashSet(StringComparer.Ordinal);
        var ask = unseen.Where(unseenBefore.Contains).Order(StringComparer.Ordinal).Take(limit).ToList();
        return (ask, unseen);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.UnseenDeviceSweep is not { } period || period <= TimeSpan.Zero || registry.Database is null)
            return;
        using var timer = new PeriodicTimer(period, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next period tries again; a database or broker that is down now is no reason to stop sweeping.
                _log.LogWarning(e, "The sweep for provisioned devices never heard from failed; next in {Period}",
                    period);
            }
        }
    }

    /// <summary>One sweep (the timer's tick; tests call it directly). Returns the devices asked.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var provisioned = registry.Database!.Load().Select(c => c.DeviceId);
        var known = await readModel.DeviceIdsAsync(cancellationToken).ConfigureAwait(false);
        var (ask, unseen) = Due(provisioned, known, _unseenBefore, MaxPerSweep);
        _unseenBefore = unseen;
        if (ask.Count == 0) return ask;
        var command = new GetState($"sweep-{time.GetUtcNow().ToUnixTimeSeconds()}");
        foreach (var deviceId in ask)
            await commands.SendAsync(deviceId, command, cancellationToken).ConfigureAwait(false);
        _log.LogInformation(
            "Asked {Asked} provisioned device(s) never heard from for their state ({Unseen} unseen in all)",
            ask.Count, unseen.Count);
        return ask;
    }
}
