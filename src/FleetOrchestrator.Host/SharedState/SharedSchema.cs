using System.Data.Common;
using LinqToDB;
using LinqToDB.Data;

namespace FleetOrchestrator.Host.SharedState;

/// <summary>
/// Creates a shared table if it is missing. Nodes starting together race on PostgreSQL's <c>CREATE TABLE IF NOT
/// EXISTS</c>, which is not atomic: the loser fails on the catalog's unique index (23505), or finds the table or its
/// row type made (42P07, 42710). Either way the table now exists, which is all the caller needs.
/// </summary>
internal static class SharedSchema
{
    public static bool Create<T>(DataOptions data)
        where T : notnull
    {
        using var db = new DataConnection(data);
        try
        {
            db.CreateTable<T>(tableOptions: TableOptions.CreateIfNotExists);
        }
        catch (DbException e) when (e.SqlState is "23505" or "42P07" or "42710")
        {
            // Another node created it at the same moment.
        }
        return true;
    }
}
