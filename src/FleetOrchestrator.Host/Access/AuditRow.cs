using FleetOrchestrator.Server.Access;
using LinqToDB.Mapping;

namespace FleetOrchestrator.Host.Access;

/// <summary>An <see cref="AuditRecord"/> as the <c>audit_records</c> table holds it; <see cref="Position"/> orders the
/// trail (newest first) and is the paging cursor.</summary>
[Table("audit_records")]
internal sealed class AuditRow
{
    [PrimaryKey, Identity, Column("position")] public long Position { get; set; }
    [Column("at_ticks")] public long AtTicks { get; set; }
    [Column("actor", CanBeNull = false)] public string Actor { get; set; } = "";
    [Column("role")] public string? Role { get; set; }
    [Column("action", CanBeNull = false)] public string Action { get; set; } = "";
    [Column("target", CanBeNull = false)] public string Target { get; set; } = "";
    [Column("remote", CanBeNull = false)] public string Remote { get; set; } = "";
    [Column("outcome", CanBeNull = false)] public string Outcome { get; set; } = "";
    [Column("status")] public int Status { get; set; }
    [Column("detail")] public string? Detail { get; set; }

    public static AuditRow From(AuditRecord record) => new()
    {
        AtTicks = record.At.UtcTicks,
        Actor = record.Actor,
        Role = record.Role,
        Action = record.Action,
        Target = record.Target,
        Remote = record.From,
        Outcome = record.Outcome,
        Status = record.Status,
        Detail = record.Detail,
    };

    public AuditRecord ToRecord() => new(new DateTimeOffset(AtTicks, TimeSpan.Zero), Actor, Role, Action, Target,
        Remote, Outcome, Status, Detail);
}
