using Microsoft.AspNetCore.Builder;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>The ASP.NET Core builder behind the orchestrator's HTTP side (API, provisioning, device downloads).</summary>
public static class OrchestratorWebBuilder
{
    /// <summary>
    /// A slim builder whose configuration files are read once, not watched. The defaults watch the content root (the
    /// working directory) recursively for appsettings changes, and the SQLite journal and the artifact store usually
    /// live under it: every WAL write then woke a FileSystemWatcher, 1.9 % of all CPU in a 10,000-device simulation.
    /// The orchestrator takes its settings from <see cref="OrchestratorOptions"/>, so there is nothing to reload.
    /// </summary>
    public static WebApplicationBuilder Create() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
}
