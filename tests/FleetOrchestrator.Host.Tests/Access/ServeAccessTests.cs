using System.Net;
using System.Net.Http.Headers;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Api;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Host.Tests.Access;

/// <summary>Keys, roles and the audit trail on the composition <c>fleet serve</c> runs, over SQLite.</summary>
public sealed class ServeAccessTests(ServeAccessTests.RoleKeys roleKeys) : IClassFixture<ServeAccessTests.RoleKeys>
{
    /// <summary>One orchestrator with a key of each role, shared by the rows of the role table.</summary>
    public sealed class RoleKeys : IAsyncLifetime
    {
        public TestOrchestrator Fleet { get; private set; } = null!;
        public Dictionary<string, string> KeyOf { get; } = [];

        public async Task InitializeAsync()
        {
            Fleet = await TestOrchestrator.StartAsync();
            foreach (var role in OperatorRoles.Names)
                KeyOf[role] = (await CreateKeyAsync(Fleet, "as-" + role, role)).Key;
        }

        public async Task DisposeAsync() => await Fleet.DisposeAsync();
    }

    private static HttpClient With(TestOrchestrator fleet, string key) => new()
    {
        BaseAddress = fleet.Host.HttpAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    private static async Task<(string Id, string Key)> CreateKeyAsync(TestOrchestrator fleet, string name, string role)
    {
        var created = await fleet.Operator.PostJsonAsync("/api/keys", new { name, role });
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return (created.Body.GetProperty("id").GetString()!, created.Body.GetProperty("key").GetString()!);
    }

    public static TheoryData<string, string, string> Rows() => new()
    {
        { "GET", "/api/devices", "viewer" },
        { "POST", "/api/devices", "admin" },
        { "PUT", "/api/devices/role-dev-1/tags", "admin" },
        { "DELETE", "/api/devices/role-dev-1/credentials", "admin" },
        { "POST", "/api/artifacts?version=1.0.0", "operator" },
        { "GET", "/api/artifacts", "viewer" },
        { "POST", "/api/updates", "operator" },
        { "POST", "/api/rollouts", "operator" },
        { "GET", "/api/rollouts", "viewer" },
        { "POST", "/api/rollouts/r-1/pause", "operator" },
        { "GET", "/api/audit", "operator" },
        { "GET", "/api/keys", "admin" },
        { "GET", "/api/me", "viewer" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_endpoint_family_refuses_exactly_the_roles_below_its_own(string method, string path,
        string needed)
    {
        OperatorRoles.TryParse(needed, out var neededRole);
        foreach (var role in OperatorRoles.Names)
        {
            using var client = With(roleKeys.Fleet, roleKeys.KeyOf[role]);
            // A body no endpoint accepts: an allowed call is refused by its endpoint (400/404), never stored.
            var answer = await client.SendAsync(new HttpMethod(method), path, new StringContent("[]"));
            OperatorRoles.TryParse(role, out var held);
            if (held.Includes(neededRole))
                Assert.True(answer.Status is not HttpStatusCode.Forbidden and not HttpStatusCode.Unauthorized,
                    $"{role} on {method} {path}: {answer}");
            else
                Assert.True(answer.Status == HttpStatusCode.Forbidden &&
                            answer.Body.GetProperty("detail").GetString()!.Contains($"the {needed} role"),
                    $"{role} on {method} {path}: {answer}");
        }
    }

    [Fact]
    public async Task Keys_revocations_and_the_audit_trail_survive_a_restart()
    {
        var directory = TestOrchestrator.NewDataDirectory();
        try
        {
            string keptKey, revokedKey;
            await using (var fleet = await TestOrchestrator.StartAsync(directory))
            {
                (_, keptKey) = await CreateKeyAsync(fleet, "kept", "operator");
                string revokedId;
                (revokedId, revokedKey) = await CreateKeyAsync(fleet, "revoked", "viewer");
                Assert.Equal(HttpStatusCode.NoContent,
                    (await fleet.Operator.SendAsync(HttpMethod.Delete, $"/api/keys/{revokedId}")).Status);
                using var kept = With(fleet, keptKey);
                Assert.Equal(HttpStatusCode.NotFound,
                    (await kept.PostJsonAsync("/api/rollouts/nowhere/pause", new { reason = "before restart" }))
                    .Status);
            }

            await using (var fleet = await TestOrchestrator.StartAsync(directory))
            {
                using var kept = With(fleet, keptKey);
                var me = await kept.GetJsonAsync("/api/me");
                Assert.Equal("kept", me.Body.GetProperty("name").GetString());
                using var revoked = With(fleet, revokedKey);
                Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetJsonAsync("/api/me")).Status);

                var audit = await kept.GetJsonAsync("/api/audit?actor=kept");
                var item = Assert.Single(audit.Body.GetProperty("items").EnumerateArray());
                Assert.Equal(("rollouts.pause", "/api/rollouts/nowhere/pause", "refused", 404),
                    (item.GetProperty("action").GetString(), item.GetProperty("target").GetString(),
                        item.GetProperty("outcome").GetString(), item.GetProperty("status").GetInt32()));
                var creations = await kept.GetJsonAsync("/api/audit?action=keys");
                Assert.Equal(["keys.delete", "keys.create", "keys.create"], creations.Body.GetProperty("items")
                    .EnumerateArray().Select(i => i.GetProperty("action").GetString()));
                var signIn = await kept.GetJsonAsync("/api/audit?action=sign-in");
                Assert.Equal("127.0.0.1", signIn.Body.GetProperty("items")[0].GetProperty("from").GetString());
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_keys_table_holds_salted_hashes_only()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        var (id, key) = await CreateKeyAsync(fleet, "hashed", "viewer");
        var plain = new[] { key, OperatorApiKey.Sha256Hex(key), TestOrchestrator.OperatorKey,
            OperatorApiKey.Sha256Hex(TestOrchestrator.OperatorKey) };

        var file = Path.Combine(fleet.DataDirectory, "fleet.db");
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM api_keys";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetValue(i)}")));
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.StartsWith(id + "|hashed|viewer|", StringComparison.Ordinal));
        foreach (var secret in plain)
            Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_existing_deployments_key_file_becomes_the_admin_key_and_a_new_file_replaces_it()
    {
        var directory = TestOrchestrator.NewDataDirectory();
        try
        {
            const string oldKey = "key-of-an-existing-deployment";
            const string newKey = "key-after-the-hash-file-was-replaced";
            await File.WriteAllTextAsync(Path.Combine(directory, "operator-api-key.sha256"),
                OperatorApiKey.Sha256Hex(oldKey) + "\n");
            var fromFile = (Func<Host.Orchestrator.OrchestratorOptions, Host.Orchestrator.OrchestratorOptions>)(o =>
                o with { Server = o.Server with { OperatorApiKeySha256 = null } });
            await using (var fleet = await TestOrchestrator.StartAsync(directory, fromFile))
            {
                using var old = With(fleet, oldKey);
                var me = await old.GetJsonAsync("/api/me");
                Assert.Equal(("bootstrap-admin", "admin"), (me.Body.GetProperty("name").GetString(),
                    me.Body.GetProperty("role").GetString()));
            }
            await File.WriteAllTextAsync(Path.Combine(directory, "operator-api-key.sha256"),
                OperatorApiKey.Sha256Hex(newKey) + "\n");
            await using (var fleet = await TestOrchestrator.StartAsync(directory, fromFile))
            {
                using var old = With(fleet, oldKey);
                Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetJsonAsync("/api/me")).Status);
                using var replaced = With(fleet, newKey);
                Assert.Equal(HttpStatusCode.OK, (await replaced.GetJsonAsync("/api/keys")).Status);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
