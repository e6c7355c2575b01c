using FleetOrchestrator.Host.Orchestrator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Host.Tls;

/// <summary>Registers <see cref="ServerTls"/> and makes it Kestrel's certificate for every https:// URL.</summary>
public static class ServerTlsHosting
{
    public static WebApplicationBuilder AddFleetTls(this WebApplicationBuilder builder, OrchestratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddSingleton(new ServerTls(options.Tls, options.Server.ResolveDataDirectory()));
        builder.Services.AddHostedService<PlainBindWarningLog>();
        // The slim builder leaves https:// URLs out unless asked.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            if (kestrel.ApplicationServices.GetRequiredService<ServerTls>().Certificate is { } certificate)
                https.ServerCertificate = certificate.Certificate;
        }));
        return builder;
    }
}
