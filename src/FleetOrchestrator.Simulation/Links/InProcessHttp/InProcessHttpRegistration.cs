using FleetOrchestrator.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Simulation.Links.InProcessHttp;

/// <summary>
/// Adds the in-process HTTP link to a server built by <c>AddFleetServer</c> (for the orchestrator: through
/// <c>OrchestratorComposition</c>'s <c>configure</c> hook). The product knows nothing of it: this binds Kestrel's
/// endpoints itself and adds a transport beside Kestrel's socket one.
/// </summary>
public static class InProcessHttpRegistration
{
    /// <summary>
    /// Binds <paramref name="server"/>'s <see cref="FleetServerOptions.Urls"/> (http:// only) and, after them, the
    /// in-process endpoint, and registers <see cref="InProcessHttpConnector"/>. The TCP URLs stay first among the
    /// bound addresses, so download URLs and <c>BoundAddresses()[0]</c> keep naming TCP. Throws
    /// <see cref="InvalidOperationException"/> naming a URL that cannot be bound in code.
    /// </summary>
    public static IServiceCollection AddInProcessHttpLink(this IServiceCollection services, FleetServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(server);
        var tcp = server.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(TcpListenUrl.Parse).ToList();
        services.AddOptions<KestrelServerOptions>().Configure<IConfiguration>((kestrel, configuration) =>
        {
            // An endpoint bound in code makes Kestrel ignore the server's UseUrls with an "Overriding address(es)"
            // warning. The same URLs are bound here, so the setting is dropped: the endpoints have one source.
            // Runs when Kestrel is built, before the web host reads the setting at start.
            configuration[WebHostDefaults.ServerUrlsKey] = null;
            foreach (var url in tcp) url.ListenOn(kestrel);
            kestrel.Listen(InProcessHttpEndPoint.Instance, endpoint => endpoint.Protocols = HttpProtocols.Http1);
        });
        // Added beside Kestrel's socket transport, not instead of it: each claims only its own endpoint type.
        services.AddSingleton<InProcessConnectionListenerFactory>();
        services.AddSingleton<IConnectionListenerFactory>(
            sp => sp.GetRequiredService<InProcessConnectionListenerFactory>());
        services.AddSingleton(
            sp => new InProcessHttpConnector(sp.GetRequiredService<InProcessConnectionListenerFactory>()));
        return services;
    }
}
