using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// Entry point for hosts (the CLI's <c>fleet serve</c>, tests): a <see cref="WebApplicationBuilder"/> with the
/// server registered. The host adds its own services (Akka.Hosting, the MQTT transport, the three ports), then
/// builds, calls <see cref="FleetEndpointRouteBuilderExtensions.MapFleetApi"/> and runs.
/// </summary>
public static class FleetServer
{
    public static WebApplicationBuilder CreateBuilder(string[] args, FleetServerOptions? options = null) =>
        WebApplication.CreateBuilder(args).AddFleetServer(options);

    /// <summary>The addresses Kestrel actually bound (port 0 resolved); valid once the app has started.</summary>
    public static IReadOnlyList<Uri> BoundAddresses(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return [.. addresses.Select(a => new Uri(a))];
    }
}
