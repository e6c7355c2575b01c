using System.Globalization;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FleetOrchestrator.Server.Api.Access;

/// <summary>
/// <c>GET /api/audit?since=ISO&amp;actor=NAME&amp;action=X&amp;limit=N&amp;cursor=C</c>: the audit trail, newest first,
/// a page at a time (<c>next</c> is the <c>cursor</c> of the following page). Every bad parameter is a 400 naming it.
/// </summary>
internal static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static void MapAuditApi(this RouteGroupBuilder api) => api.MapGet("/audit", QueryAsync);

    private static async Task<IResult> QueryAsync(HttpRequest request, IAuditLog audit, CancellationToken ct)
    {
        var query = request.Query;
        var errors = new List<string>();
        DateTimeOffset? since = null;
        if (query["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                since = parsed;
            else
                errors.Add($"since: '{sinceText}' is not an ISO 8601 date and time (e.g. 2026-12-05T10:00:00Z)");
        }
        var limit = DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) ||
             limit is < 1 or > MaxLimit))
            errors.Add($"limit: '{limitText}' is not a whole number from 1 to {MaxLimit}");
        long? before = null;
        if (query["cursor"].ToString() is { Length: > 0 } cursorText)
        {
            if (long.TryParse(cursorText, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor) &&
                cursor > 0)
                before = cursor;
            else
                errors.Add($"cursor: '{cursorText}' is not a cursor this API returned as 'next'");
        }
        var actor = Text(query, "actor", errors);
        var action = Text(query, "action", errors);
        if (errors.Count > 0)
            return FleetProblems.Result(StatusCodes.Status400BadRequest, "Invalid audit query",
                string.Join("; ", errors), new Dictionary<string, object?> { ["errors"] = errors });

        var slice = await audit.QueryAsync(new AuditQuery(since, actor, action, before, limit), ct)
            .ConfigureAwait(false);
        return TypedResults.Ok(new AuditPage(slice.Items,
            slice.NextBefore?.ToString(CultureInfo.InvariantCulture)));
    }

    private static string? Text(IQueryCollection query, string name, List<string> errors)
    {
        if (!query.TryGetValue(name, out var values)) return null;
        var text = values.ToString();
        if (values.Count > 1 || text.Length is 0 or > 200)
        {
            errors.Add($"{name}: give it once, 1 to 200 characters");
            return null;
        }
        return text;
    }
}
