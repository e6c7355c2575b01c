using Microsoft.Extensions.Logging;

namespace FleetOrchestrator.Cli.Commands;

/// <summary>The console logging of the long-running commands: warnings and errors, one line each.</summary>
internal static class CliLogging
{
    public static ILoggerFactory Create(Action<ILoggingBuilder>? configure = null) =>
        LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(LogLevel.Warning)
                // Data protection keys only protect ASP.NET Core's own transient tokens here; its "unencrypted" warning is noise.
                .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error)
                // This category only logs request starts and ends (Information), but while it is enabled at any level
                // ASP.NET Core starts an Activity and an ExecutionContext change per request: a simulated fleet makes
                // 240,000 download requests, and 3 % of everything allocated was that bookkeeping. Kestrel still logs
                // unhandled request exceptions under its own category.
                .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)
                .AddSimpleConsole(o => o.SingleLine = true);
            configure?.Invoke(b);
        });
}
