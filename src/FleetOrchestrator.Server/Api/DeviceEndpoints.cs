using System.Globalization;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Protocol.Validation;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api;

/// <summary><c>GET /api/devices?version=&amp;outcome=&amp;state=&amp;online=&amp;offset=&amp;limit=</c> and <c>GET /api/devices/{id}</c>.</summary>
internal static class DeviceEndpoints
{
    public static void MapDeviceApi(this RouteGroupBuilder api)
    {
        api.MapGet("/devices", ListAsync);
        api.MapGet("/devices/{id}", GetAsync);
    }

    private static async Task<IResult> ListAsync(HttpRequest request, IFleetQueries fleet, CancellationToken ct)
    {
        var errors = new List<string>();
        string? Query(string name) => request.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;

        SemanticVersion? version = null;
        if (Query("version") is { } v)
        {
            if (SemanticVersion.TryParse(v, out var parsed)) version = parsed;
            else errors.Add($"version '{v}' is not a version of the form major.minor.patch (e.g. 1.4.0)");
        }
        bool? online = null;
        if (Query("online") is { } o)
        {
            if (bool.TryParse(o, out var parsed)) online = parsed;
            else errors.Add($"online is '{o}'; use true or false");
        }
        var state = Query("state");
        if (state is not null && !fleet.StateNames.Contains(state, StringComparer.OrdinalIgnoreCase))
            errors.Add($"state '{state}' is not a saga state; use one of: {string.Join(", ", fleet.StateNames)}");
        var outcome = Query("outcome");
        if (outcome is not null && !fleet.OutcomeNames.Contains(outcome, StringComparer.OrdinalIgnoreCase))
            errors.Add(
                $"outcome '{outcome}' is not a saga outcome; use one of: {string.Join(", ", fleet.OutcomeNames)}");
        int offset = ReadInt(Query("offset"), "offset", 0, 0, int.MaxValue, errors);
        int limit = ReadInt(Query("limit"), "limit", DeviceFilter.DefaultLimit, 1, DeviceFilter.MaxLimit, errors);
        if (errors.Count > 0)
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid device filter", string.Join("; ", errors),
                new Dictionary<string, object?> { ["errors"] = errors });

        var filter = new DeviceFilter(version, outcome, state, online, offset, limit);
        var page = await fleet.ListDevicesAsync(filter, ct).ConfigureAwait(false);
        return TypedResults.Ok(page);
    }

    private static async Task<IResult> GetAsync(string id, IFleetQueries fleet, CancellationToken ct)
    {
        if (WireIdentifiers.DescribeDeviceIdProblem(id) is { } problem)
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid device id", $"'{id}': {problem}");
        return await fleet.GetDeviceAsync(id, ct).ConfigureAwait(false) is { } device
            ? TypedResults.Ok(device)
            : FleetProblems.Result(StatusCodes.Status404NotFound, "Unknown device",
                $"no device '{id}' is known to the fleet: it has never connected or reported state");
    }

    private static int ReadInt(string? text, string name, int fallback, int min, int max, List<string> errors)
    {
        if (text is null) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max) return n;
        errors.Add($"{name} is '{text}'; use a whole number from {min} to {max}");
        return fallback;
    }
}
