using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Api;
using FleetOrchestrator.Server.Artifacts;
using FleetOrchestrator.Server.Downloads;
using FleetOrchestrator.Server.Json;
using FleetOrchestrator.Server.OpenApi;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>
/// Registers the HTTP side of the orchestrator. The host must also register the ports this project only consumes:
/// <see cref="IFleetQueries"/>, <see cref="IUpdateCommands"/>, <see cref="IDeviceCredentialVerifier"/> and
/// <see cref="IArtifactReferences"/>;
/// startup fails with a message naming any that is missing.
/// </summary>
public static class FleetServerServiceCollectionExtensions
{
    /// <summary>
    /// Binds Kestrel to <see cref="FleetServerOptions.Urls"/> and registers the server. Options default to the
    /// <c>Fleet:Server</c> configuration section.
    /// </summary>
    public static WebApplicationBuilder AddFleetServer(this WebApplicationBuilder builder, FleetServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        options ??= builder.Configuration.GetSection(FleetServerOptions.SectionName).Get<FleetServerOptions>() ?? new FleetServerOptions();
        builder.WebHost.UseUrls(
            options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.Services.AddFleetServer(options);
        return builder;
    }

    public static IServiceCollection AddFleetServer(this IServiceCollection services, FleetServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        // A host that shares state between nodes registers ISharedServerSecrets and IArtifactRepository (its database).
        services.AddSingleton(sp => ServerSecrets.LoadOrCreate(options,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("FleetOrchestrator.Server.Secrets"),
            sp.GetService<ISharedServerSecrets>()));
        services.AddSingleton(sp => sp.GetRequiredService<ServerSecrets>().OperatorKey);
        services.AddSingleton(sp => new DownloadGrants(sp.GetRequiredService<ServerSecrets>().GrantSecret, options.DownloadGrantLifetime, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("FleetOrchestrator.Server.Artifacts");
            var store = sp.GetService<IArtifactRepository>() is { } repository
                ? SharedArtifactStore.Open(repository, options, sp.GetRequiredService<ISharedServerSecrets>(), log)
                : new ArtifactStore(options.ResolveArtifactsDirectory(), options.HotArtifactCacheBytes);
            log.LogInformation("Artifact store at {Root}: {Count} artifact(s)",
                store.IsShared ? "the database" : store.RootDirectory, store.List().Count);
            foreach (var artifact in store.List())
                if (store.DamageOf(artifact.Id) is { } damage)
                    log.LogWarning(
                        "Artifact {Id} is damaged ({Problem}): it is not served and no update can start with it",
                        artifact.Id, damage);
            if (store.DiscardedIncompleteUploads > 0)
                log.LogWarning("Discarded {Count} incomplete upload(s) left by an earlier crash", store.DiscardedIncompleteUploads);
            return store;
        });
        services.AddSingleton(sp => new ArtifactUploader(
            sp.GetRequiredService<ArtifactStore>(), sp.GetRequiredService<ServerSecrets>().SigningKey, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DownloadUrls>();
        services.AddSingleton<SignInFailures>();
        services.AddHostedService<FleetServerStartup>();
        services.AddHostedService<AuditRetention>();

        // Authentication brings ASP.NET Core data protection, which otherwise keeps its keys in the user profile:
        // keep them with everything else the server persists.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(options.ResolveDataDirectory(), "data-protection")));
        services.AddProblemDetails();
        services.AddTransient<IStartupFilter, ProblemResponsesStartupFilter>();
        // API keys and the audit trail: in memory unless the host registers stores (the Host: its database).
        services.TryAddSingleton<IApiKeyStore, InMemoryApiKeyStore>();
        services.TryAddSingleton<IAuditLog, InMemoryAuditLog>();
        services.AddSingleton<ApiKeyVerifier>();
        services.AddSingleton<IAuthorizationHandler, OperatorRoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ForbiddenAsProblem>();
        services.AddTransient<IStartupFilter, AuditStartupFilter>();
        // A refusal's audit record says why: the problem every error response carries.
        services.Configure<ProblemDetailsOptions>(o =>
        {
            var earlier = o.CustomizeProblemDetails;
            o.CustomizeProblemDetails = c =>
            {
                earlier?.Invoke(c);
                if (c.ProblemDetails.Status >= 400)
                    AuditMiddleware.Note(c.HttpContext, $"{c.ProblemDetails.Title}: {c.ProblemDetails.Detail}");
            };
        });
        services.Configure<JsonOptions>(o => FleetJson.Configure(o.SerializerOptions));
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, OperatorAuthenticationHandler>(OperatorAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, DeviceBasicAuthenticationHandler>(DeviceBasicAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(FleetPolicies.Add);
        services.AddHealthChecks();
        services.AddFleetOpenApi();
        return services;
    }
}
