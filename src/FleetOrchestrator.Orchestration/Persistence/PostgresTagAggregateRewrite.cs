using System.Data.Common;
using System.Text.RegularExpressions;
using LinqToDB.Interceptors;

namespace FleetOrchestrator.Orchestration.Persistence;

/// <summary>
/// The PostgreSQL twin of <see cref="SqliteTagAggregateRewrite"/> (which says why the plugin sends this shape).
/// linq2db renders the plugin's tag aggregate for PostgreSQL as
/// <c>(SELECT STRING_AGG(t1.tag, :sep) FILTER (WHERE t1.ordering_id = x_1."Ordering") FROM tags t1)</c>: a sequential
/// scan of the whole tags table for every returned row. Measured on `fleet simulate` with 1,000 devices: the read
/// journal's EventsByTag took 190 ms a call and 75 s of the server's time in one run, more than every other statement
/// together, and it grows with rows x journal size. The rewrite moves the condition into a WHERE
/// (<c>STRING_AGG(t1.tag, :sep) FROM tags t1 WHERE t1.ordering_id = x_1."Ordering"</c>), which the tags primary key
/// (ordering_id, tag) answers with an index-only scan. Same result: with no matching row both forms give NULL.
/// Any other SQL passes unchanged.
/// </summary>
public sealed partial class PostgresTagAggregateRewrite : CommandInterceptor
{
    public override DbCommand CommandInitialized(CommandEventData eventData, DbCommand command)
    {
        command.CommandText = Rewrite(command.CommandText);
        return command;
    }

    /// <summary>The rewritten SQL, or <paramref name="sql"/> itself when it has no unfiltered tag aggregate.</summary>
    public static string Rewrite(string sql) =>
        sql.Contains("FILTER (WHERE", StringComparison.Ordinal)
            ? UnfilteredTagAggregate().Replace(sql, FilteredTagAggregate)
            : sql;

    private const string FilteredTagAggregate =
        "STRING_AGG(${tag}, ${sep}) FROM ${table} ${alias} WHERE ${key} = ${outer}";

    [GeneratedRegex(
        @"STRING_AGG\((?<tag>(?<a>\w+)\.tag),\s*(?<sep>[^()]+?)\)\s+FILTER\s+\(WHERE\s+(?<key>\k<a>\.ordering_id)" +
        @"\s*=\s*(?<outer>\w+\.(?:""\w+""|\w+))\)\s+FROM\s+(?<table>tags)\s+(?<alias>\k<a>)(?=\s*\))",
        RegexOptions.CultureInvariant)]
    private static partial Regex UnfilteredTagAggregate();
}
