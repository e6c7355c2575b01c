using FleetOrchestrator.Orchestration.Persistence;
using Npgsql;

namespace FleetOrchestrator.Orchestration.Tests.Persistence;

public sealed class PostgresTagAggregateRewriteSpecs(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    // The EventsByTag query Akka.Persistence.Sql 1.5.73 sent to PostgreSQL (captured from `fleet simulate`), shortened
    // to the columns that matter; whitespace (tabs, newlines) and parameter names kept as linq2db writes them.
    private const string PluginQuery = """
        SELECT
        	x_1."Ordering",
        	(
        		SELECT
        			STRING_AGG(t1.tag, ';') FILTER (WHERE t1.ordering_id = x_1."Ordering")
        		FROM
        			tags t1
        	)
        FROM
        	(
        		SELECT
        			x.ordering as "Ordering"
        		FROM
        			journal x
        				INNER JOIN tags lp ON lp.ordering_id = x.ordering
        		WHERE
        			lp.ordering_id > :Offset AND
        			lp.ordering_id <= :MaxOffset AND
        			NOT x.deleted AND
        			lp.tag = :Tag
        		ORDER BY
        			x.ordering
        		LIMIT :take
        	) x_1
        """;

    [Fact]
    public void The_unfiltered_tag_aggregate_becomes_a_filtered_one()
    {
        var rewritten = PostgresTagAggregateRewrite.Rewrite(PluginQuery);

        Assert.DoesNotContain("FILTER", rewritten, StringComparison.Ordinal);
        Assert.Contains("STRING_AGG(t1.tag, ';') FROM tags t1 WHERE t1.ordering_id = x_1.\"Ordering\"", rewritten,
            StringComparison.Ordinal);
        Assert.Contains("lp.tag = :Tag", rewritten, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT STRING_AGG(t1.tag, ';') FILTER (WHERE t1.ordering_id = x.\"Ordering\") FROM tags t1" +
        " WHERE t1.tag = 'a'")]
    [InlineData("INSERT INTO journal (ordering) VALUES (1)")]
    [InlineData("SELECT STRING_AGG(t1.tag, ';') FILTER (WHERE t1.persistence_id = x.\"Ordering\") FROM tags t1")]
    [InlineData("SELECT STRING_AGG(t1.tag, ';') FILTER (WHERE t2.ordering_id = x.\"Ordering\") FROM tags t1")]
    public void Other_sql_is_left_alone(string sql) =>
        Assert.Equal(sql, PostgresTagAggregateRewrite.Rewrite(sql));

    [Fact]
    public async Task Both_forms_return_the_same_rows_and_tags_and_the_rewrite_seeks_by_key()
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE journal (ordering bigint PRIMARY KEY, deleted boolean NOT NULL DEFAULT false);
            CREATE TEMP TABLE tags (ordering_id bigint NOT NULL, tag text NOT NULL, PRIMARY KEY (ordering_id, tag));
            INSERT INTO journal (ordering) SELECT g FROM generate_series(1, 5) g;
            INSERT INTO tags VALUES (1, 'fleet-device'), (2, 'fleet-device'), (2, 'other'), (3, 'other'),
                (4, 'fleet-device');
            """);

        var original = await RowsAsync(connection, PluginQuery);
        var rewritten = await RowsAsync(connection, PostgresTagAggregateRewrite.Rewrite(PluginQuery));

        Assert.Equal(["2:fleet-device;other", "4:fleet-device"], original);
        Assert.Equal(original, rewritten);

        // The point of the rewrite: the original has no condition to seek the tags by (it reads the whole table per
        // row), the rewrite seeks the primary key. Sequential scans priced out, as on a large table.
        await ExecuteAsync(connection, "SET enable_seqscan = off; ANALYZE tags; ANALYZE journal;");
        const string seek = "Index Cond: (ordering_id = x_1.\"Ordering\")";
        Assert.DoesNotContain(seek, await PlanAsync(connection, PluginQuery), StringComparison.Ordinal);
        Assert.Contains(seek, await PlanAsync(connection, PostgresTagAggregateRewrite.Rewrite(PluginQuery)),
            StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("Offset", 1L);
        command.Parameters.AddWithValue("MaxOffset", 100L);
        command.Parameters.AddWithValue("Tag", "fleet-device");
        command.Parameters.AddWithValue("take", 100);
        return command;
    }

    private static async Task<List<string>> RowsAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = Command(connection, sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            // STRING_AGG's order is unspecified without ORDER BY: compare the tag sets.
            var tags = reader.IsDBNull(1)
                ? ""
                : string.Join(';', reader.GetString(1).Split(';').Order(StringComparer.Ordinal));
            rows.Add($"{reader.GetInt64(0)}:{tags}");
        }
        return rows;
    }

    private static async Task<string> PlanAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = Command(connection, "EXPLAIN " + sql);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return string.Join('\n', lines);
    }
}
