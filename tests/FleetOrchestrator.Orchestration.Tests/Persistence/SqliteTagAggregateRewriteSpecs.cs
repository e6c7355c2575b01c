using FleetOrchestrator.Orchestration.Persistence;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

public sealed class SqliteTagAggregateRewriteSpecs
{
    // The EventsByTag query Akka.Persistence.Sql 1.5.73 sent to SQLite (captured from `fleet simulate`), shortened to the
    // columns that matter; whitespace (tabs, newlines) kept as linq2db writes it.
    private const string PluginQuery = """
        SELECT
        	[x_1].[Ordering],
        	(
        		SELECT
        			GROUP_CONCAT(CASE
        				WHEN [t1].[ordering_id] = [x_1].[Ordering] THEN [t1].[tag]
        				ELSE NULL
        			END, ';')
        		FROM
        			[tags] [t1]
        	)
        FROM
        	(
        		SELECT [x].[ordering] as [Ordering]
        		FROM [journal] [x] INNER JOIN [tags] [lp] ON [lp].[ordering_id] = [x].[ordering]
        		WHERE [lp].[ordering_id] > 1 AND [lp].[tag] = 'fleet-device'
        		ORDER BY [x].[ordering]
        	) [x_1]
        """;

    [Fact]
    public void The_unfiltered_tag_aggregate_becomes_a_filtered_one()
    {
        var rewritten = SqliteTagAggregateRewrite.Rewrite(PluginQuery);

        Assert.DoesNotContain("CASE", rewritten, StringComparison.Ordinal);
        Assert.Contains("GROUP_CONCAT([t1].[tag], ';') FROM [tags] [t1] WHERE [t1].[ordering_id] = [x_1].[Ordering]", rewritten, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT GROUP_CONCAT(CASE WHEN [t1].[ordering_id] = [x].[Ordering] THEN [t1].[tag] ELSE NULL END, ';') FROM [tags] [t1] WHERE [t1].[tag] = 'a'")]
    [InlineData("INSERT INTO [journal] ([ordering]) VALUES (1)")]
    [InlineData("SELECT GROUP_CONCAT(CASE WHEN [t1].[persistence_id] = [x].[Ordering] THEN [t1].[tag] ELSE NULL END, ';') FROM [tags] [t1]")]
    public void Other_sql_is_left_alone(string sql) =>
        Assert.Equal(sql, SqliteTagAggregateRewrite.Rewrite(sql));

    [Fact]
    public void Both_forms_return_the_same_rows_and_tags_on_a_real_database()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, """
            CREATE TABLE journal (ordering INTEGER PRIMARY KEY);
            CREATE TABLE tags (ordering_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (ordering_id, tag));
            INSERT INTO journal VALUES (1), (2), (3), (4), (5);
            INSERT INTO tags VALUES (1, 'fleet-device'), (2, 'fleet-device'), (2, 'other'), (3, 'other'), (4, 'fleet-device');
            """);

        var original = Rows(connection, PluginQuery);
        var rewritten = Rows(connection, SqliteTagAggregateRewrite.Rewrite(PluginQuery));

        Assert.Equal(["2:fleet-device;other", "4:fleet-device"], original);
        Assert.Equal(original, rewritten);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<string> Rows(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            // GROUP_CONCAT's order is unspecified: compare the tag sets.
            var tags = reader.IsDBNull(1) ? "" : string.Join(';', reader.GetString(1).Split(';').Order(StringComparer.Ordinal));
            rows.Add($"{reader.GetInt64(0)}:{tags}");
        }
        return rows;
    }
}
