using Microsoft.Extensions.DependencyInjection;
using MQTTnet.Server;

namespace FleetOrchestrator.Simulation.Links.InProcessMqtt;

/// <summary>
/// Adds the in-process MQTT link to an orchestrator (through <c>OrchestratorComposition</c>'s <c>configure</c> hook):
/// the embedded broker serves every <see cref="IMqttServerAdapter"/> in DI beside its TCP listener. With an external
/// broker nothing serves the listener, so register it only with the embedded one.
/// </summary>
public static class InProcessMqttRegistration
{
    /// <summary>Registers an <see cref="InProcessMqttListener"/> for the broker and the
    /// <see cref="InProcessMqttConnector"/> this process's clients connect through.</summary>
    public static IServiceCollection AddInProcessMqttLink(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<InProcessMqttListener>();
        services.AddSingleton<IMqttServerAdapter>(sp => sp.GetRequiredService<InProcessMqttListener>());
        services.AddSingleton(sp => new InProcessMqttConnector(sp.GetRequiredService<InProcessMqttListener>()));
        return services;
    }
}
