using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Server.Hosting;

/// <summary>Where a request came from, as sign-in throttling and the audit trail name it.</summary>
internal static class RemoteAddress
{
    /// <summary>In-process connections (same-process simulated devices) have no address: they share one name.</summary>
    public const string InProcess = "(in-process)";

    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress is { } ip
        ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
        : InProcess;
}
