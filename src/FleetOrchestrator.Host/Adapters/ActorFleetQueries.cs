using Akka.Actor;
using FleetOrchestrator.Orchestration.Devices;
using FleetOrchestrator.Orchestration.Devices.Messages;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Server.Api;

namespace FleetOrchestrator.Host.Adapters;

/// <summary>
/// The operator API's read side: the fleet list from the read model's tables (a projection of the journal, so listing
/// never wakes device actors); one device's saga history from its actor.
/// </summary>
internal sealed class ActorFleetQueries(Func<IActorRef> region, FleetReadStore fleet) : IFleetQueries
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    // The names the summaries show (DeviceViews), so a filter takes exactly what a listing prints.
    public IReadOnlyList<string> StateNames { get; } =
        [.. Enum.GetValues<SagaPhase>().Select(DeviceViews.PhaseName)];

    public IReadOnlyList<string> OutcomeNames { get; } =
        [.. Enum.GetValues<UpdateOutcome>().Select(DeviceViews.OutcomeName)];

    public async Task<DevicePage> ListDevicesAsync(DeviceFilter filter, CancellationToken cancellationToken)
    {
        if (!TryParse<UpdateOutcome>(filter.Outcome, out var outcome) || !TryParsePhase(filter.State, out var phase))
            return new DevicePage([], 0, filter.Offset, filter.Limit);
        var query = new FleetFilter
        {
            RunningVersion = filter.Version,
            Outcome = outcome,
            Phase = phase,
            Online = filter.Online,
            Skip = filter.Offset,
            Take = filter.Limit,
        };
        var result = await fleet.QueryAsync(query, cancellationToken).ConfigureAwait(false);
        return new DevicePage([.. result.Devices.Select(DeviceViews.Summary)], result.Total, filter.Offset, filter.Limit);
    }

    public async Task<DeviceDetail?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        var view = await region().Ask<DeviceSagaView>(new GetDeviceSaga(deviceId), AskTimeout, cancellationToken).ConfigureAwait(false);
        // An actor with no events is one the fleet has never heard of; asking woke it, nothing was persisted.
        if (view.EventCount == 0) return null;
        var tags = await fleet.TagsOfAsync([deviceId], cancellationToken).ConfigureAwait(false);
        return DeviceViews.Detail(view) with
        {
            Tags = tags.GetValueOrDefault(deviceId) ?? new Dictionary<string, string>(),
        };
    }

    private static bool TryParsePhase(string? text, out SagaPhase? phase)
    {
        if (string.Equals(text, "idle", StringComparison.OrdinalIgnoreCase)) { phase = SagaPhase.None; return true; }
        return TryParse(text, out phase);
    }

    /// <summary>Null text means "any"; an unknown name matches nothing.</summary>
    private static bool TryParse<T>(string? text, out T? value) where T : struct, Enum
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!Enum.TryParse<T>(text, ignoreCase: true, out var parsed)) return false;
        value = parsed;
        return true;
    }
}
