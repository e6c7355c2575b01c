using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;

namespace FleetOrchestrator.Server.Dashboard;

/// <summary>
/// The dashboard: its page at <c>/</c> and assets under <c>/dashboard/</c> (public: they hold no data; the page signs
/// in with the operator key), and <c>GET /api/events</c>, the pushed updates (operator auth like all of /api).
/// </summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Asset("index.html")).AllowAnonymous();
        endpoints.MapGet("/dashboard/{name}", Asset).AllowAnonymous();
    }

    public static void MapDashboardEvents(this RouteGroupBuilder api) => api.MapGet("/events", EventsAsync);

    private static IResult Asset(string name)
    {
        if (DashboardAssets.Find(name) is not { } asset)
            return FleetProblems.Result(StatusCodes.Status404NotFound, "Not found",
                $"the dashboard has no file '{name}'");
        return TypedResults.Stream(asset.File.CreateReadStream(), asset.ContentType,
            lastModified: asset.File.LastModified, entityTag: null, enableRangeProcessing: false);
    }

    private static async Task<IResult> EventsAsync(HttpContext context, [FromServices] DashboardHub hub,
        [FromServices] IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var subscription = await hub.SubscribeAsync(cancellationToken).ConfigureAwait(false);
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        // Reverse proxies (nginx) buffer responses unless told not to; an event stream must not wait in a buffer.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // A stream never ends by itself: without ending it at shutdown, Kestrel would wait out its shutdown timeout.
        return TypedResults.ServerSentEvents(Stream(subscription, cancellationToken, lifetime.ApplicationStopping));
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(DashboardSubscription subscription,
        [EnumeratorCancellation] CancellationToken requestAborted, CancellationToken stopping)
    {
        using (subscription)
        using (var end = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping))
            while (await WaitAsync(subscription, end.Token).ConfigureAwait(false))
                while (subscription.Events.TryRead(out var item))
                    yield return item;
    }

    /// <summary>False when the stream is to end: the hub completed it, the client left, or the server stops.</summary>
    private static async Task<bool> WaitAsync(DashboardSubscription subscription, CancellationToken end)
    {
        try
        {
            return await subscription.Events.WaitToReadAsync(end).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
