using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FleetOrchestrator.Server.Dashboard;

/// <summary>
/// Registers the dashboard's push: the <see cref="DashboardHub"/> and its ticker. The host feeds the hub from its
/// journal feeds and registers <see cref="IDashboardReads"/> and <see cref="Api.Rollouts.IRollouts"/>.
/// </summary>
public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddFleetDashboard(this IServiceCollection services,
        DashboardSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings ?? DashboardSettings.Default);
        services.AddSingleton<DashboardHub>();
        services.AddHostedService<DashboardTicker>();
        return services;
    }
}
