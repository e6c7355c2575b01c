namespace FleetOrchestrator.Server.Access;

/// <summary>Role names as the API and the database spell them (lowercase), and the inclusion order.</summary>
public static class OperatorRoles
{
    public static readonly IReadOnlyList<string> Names = ["viewer", "operator", "admin"];

    public static string Name(this OperatorRole role) => Names[(int)role];

    public static bool TryParse(string? name, out OperatorRole role)
    {
        var index = name is null ? -1 : Names.ToList().IndexOf(name);
        role = index < 0 ? OperatorRole.Viewer : (OperatorRole)index;
        return index >= 0;
    }

    /// <summary>True when <paramref name="role"/> may do what <paramref name="needed"/> may.</summary>
    public static bool Includes(this OperatorRole role, OperatorRole needed) => role >= needed;
}
