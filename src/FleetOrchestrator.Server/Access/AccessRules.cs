using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Server.Access;

/// <summary>
/// The one statement of which role each operator request needs, by method and path, so every endpoint (today's and
/// the ones added later) is covered without each declaring it:
/// <list type="table">
/// <item><term>admin</term><description>anything under <c>/api/keys</c>; a mutation under <c>/api/devices</c>
/// (register, tags, revoke credentials)</description></item>
/// <item><term>operator</term><description><c>/api/audit</c>; every other mutation (POST, PUT, PATCH, DELETE):
/// uploads and deletions of artifacts, updates, rollouts and their actions, dry runs included</description></item>
/// <item><term>viewer</term><description>every other read (GET, HEAD)</description></item>
/// </list>
/// </summary>
public static class AccessRules
{
    public static OperatorRole RoleFor(string method, PathString path)
    {
        if (path.StartsWithSegments("/api/keys", StringComparison.OrdinalIgnoreCase)) return OperatorRole.Admin;
        var mutation = IsMutation(method);
        if (mutation && path.StartsWithSegments("/api/devices", StringComparison.OrdinalIgnoreCase))
            return OperatorRole.Admin;
        if (mutation || path.StartsWithSegments("/api/audit", StringComparison.OrdinalIgnoreCase))
            return OperatorRole.Operator;
        return OperatorRole.Viewer;
    }

    /// <summary>Anything but a read: what needs more than a viewer and what the audit trail records.</summary>
    public static bool IsMutation(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));
}
