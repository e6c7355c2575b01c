using System.Data.Common;
using System.Text.RegularExpressions;
using LinqToDB.Interceptors;

namespace FleetOrchestrator.Orchestration.Persistence;

/// <summary>
/// Rewrites one query shape the SQL plugin sends to SQLite. To attach an event's tags (tag-table mode: EventsByTag for the
/// fleet read model, and every replay) the plugin asks linq2db for <c>tags.Where(t =&gt; t.OrderingId ==
/// row.Ordering).StringAggregate(";")</c>, which linq2db renders as
/// <c>(SELECT GROUP_CONCAT(CASE WHEN t1.ordering_id = x.Ordering THEN t1.tag ELSE NULL END, ';') FROM tags t1)</c>:
/// no WHERE, so every returned row scans the whole tags table. Profiled at 3,000 simulated devices, the read model's
/// polling cost as much CPU as all journal writes, and it grows with rows x journal size. The rewrite moves the
/// condition into a WHERE (<c>... GROUP_CONCAT(t1.tag, ';') FROM tags t1 WHERE t1.ordering_id = x.Ordering</c>),
/// which the tags primary key (ordering_id, tag) answers with a seek. Same result: GROUP_CONCAT skips NULLs, and with
/// no matching row both forms give NULL. Any other SQL passes unchanged.
/// </summary>
public sealed partial class SqliteTagAggregateRewrite : CommandInterceptor
{
    public override DbCommand CommandInitialized(CommandEventData eventData, DbCommand command)
    {
        command.CommandText = Rewrite(command.CommandText);
        return command;
    }

    /// <summary>The rewritten SQL, or <paramref name="sql"/> itself when it has no unfiltered tag aggregate.</summary>
    public static string Rewrite(string sql) =>
        sql.Contains("GROUP_CONCAT(CASE", StringComparison.Ordinal)
            ? UnfilteredTagAggregate().Replace(sql, "GROUP_CONCAT(${tag}, ';') FROM [tags] ${alias} WHERE ${key} = ${outer}")
            : sql;

    [GeneratedRegex(
        @"GROUP_CONCAT\(CASE\s+WHEN\s+(?<key>\[\w+\]\.\[ordering_id\])\s*=\s*(?<outer>\[\w+\]\.\[\w+\])\s+THEN\s+(?<tag>\[\w+\]\.\[tag\])\s+ELSE\s+NULL\s+END,\s*';'\)\s+FROM\s+\[tags\]\s+(?<alias>\[\w+\])(?=\s*\))",
        RegexOptions.CultureInvariant)]
    private static partial Regex UnfilteredTagAggregate();
}
