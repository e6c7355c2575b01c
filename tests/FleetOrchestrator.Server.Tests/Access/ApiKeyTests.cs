using System.Net;
using System.Net.Http.Json;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Server.Tests.Access;

/// <summary>Keys created, listed, used and revoked through the API; the last admin key cannot be revoked.</summary>
public sealed class ApiKeyTests
{
    [Fact]
    public async Task A_created_key_is_shown_once_signs_in_with_its_role_and_is_listed_without_its_secret()
    {
        await using var host = await ServerHost.StartAsync();
        using var response = await host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Post, "/api/keys",
            JsonContent.Create(new { name = "ci-bot", role = "operator" })));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal("ci-bot", created.GetProperty("name").GetString());
        Assert.Equal("operator", created.GetProperty("role").GetString());
        Assert.Equal(ServerHost.Epoch, created.GetProperty("createdAt").GetDateTimeOffset());
        Assert.StartsWith($"fleet_{id}_", key, StringComparison.Ordinal);
        Assert.Equal($"/api/keys/{id}", response.Headers.Location?.ToString());

        var me = await Keys.SendAsync(host, key, HttpMethod.Get, "/api/me");
        Assert.Equal(HttpStatusCode.OK, me.Status);
        Assert.Equal("ci-bot", me.Body.GetProperty("name").GetString());
        Assert.Equal("operator", me.Body.GetProperty("role").GetString());
        Assert.Equal(id, me.Body.GetProperty("keyId").GetString());

        var list = await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Get, "/api/keys");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var listed = list.Body.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal("bootstrap-admin", listed.GetProperty("createdBy").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, listed.GetProperty("revokedAt").ValueKind);
        Assert.DoesNotContain(key[^20..], list.Body.GetRawText(), StringComparison.Ordinal);
        Assert.False(listed.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task The_bootstrap_key_is_the_first_admin_key()
    {
        await using var host = await ServerHost.StartAsync();
        var me = await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Get, "/api/me");
        Assert.Equal(("bootstrap-admin", "admin", "bootstrap"), (me.Body.GetProperty("name").GetString(),
            me.Body.GetProperty("role").GetString(), me.Body.GetProperty("keyId").GetString()));
    }

    [Fact]
    public async Task A_revoked_key_fails_at_once_and_stays_listed_with_the_time()
    {
        await using var host = await ServerHost.StartAsync();
        var (id, key) = await Keys.CreateAsync(host, "short-lived", "viewer");
        Assert.Equal(HttpStatusCode.OK, (await Keys.SendAsync(host, key, HttpMethod.Get, "/api/me")).Status);

        host.Time.Advance(TimeSpan.FromMinutes(5));
        var revoke = await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Delete, $"/api/keys/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.Status);

        var after = await Keys.SendAsync(host, key, HttpMethod.Get, "/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.Contains("revoked", after.Body.GetProperty("detail").GetString());
        var list = await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Get, "/api/keys");
        var listed = list.Body.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal(ServerHost.Epoch.AddMinutes(5), listed.GetProperty("revokedAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.NotFound,
            (await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Delete, "/api/keys/0123456789ab")).Status);
    }

    [Fact]
    public async Task The_last_admin_key_cannot_be_revoked_but_one_of_two_can()
    {
        await using var host = await ServerHost.StartAsync();
        var alone = await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Delete, "/api/keys/bootstrap");
        Assert.Equal(HttpStatusCode.Conflict, alone.Status);
        Assert.Contains("last admin", alone.Body.GetProperty("detail").GetString());

        var (second, secondKey) = await Keys.CreateAsync(host, "second-admin", "admin");
        Assert.Equal(HttpStatusCode.NoContent,
            (await Keys.SendAsync(host, secondKey, HttpMethod.Delete, "/api/keys/bootstrap")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Get, "/api/me")).Status);
        Assert.Equal(HttpStatusCode.Conflict,
            (await Keys.SendAsync(host, secondKey, HttpMethod.Delete, $"/api/keys/{second}")).Status);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"role\":\"root\"}", "role")]
    [InlineData("{\"role\":\"viewer\"}", "name")]
    [InlineData("{\"name\":\"has space\",\"role\":\"viewer\"}", "name")]
    [InlineData("{\"name\":\"x\"}", "role")]
    public async Task A_bad_key_request_is_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Post, "/api/keys",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(answer.Body.GetProperty("errors").EnumerateArray(),
            e => e.GetString()!.StartsWith(field + ":", StringComparison.Ordinal));
        var keys = await host.App.Services.GetRequiredService<IApiKeyStore>().ListAsync();
        Assert.Equal(["bootstrap"], keys.Select(k => k.Id));
    }

    [Fact]
    public async Task A_name_in_use_by_a_key_not_revoked_is_409()
    {
        await using var host = await ServerHost.StartAsync();
        var (id, _) = await Keys.CreateAsync(host, "twice", "viewer");
        var again = await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Post, "/api/keys",
            JsonContent.Create(new { name = "twice", role = "viewer" }));
        Assert.Equal(HttpStatusCode.Conflict, again.Status);

        await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Delete, $"/api/keys/{id}");
        await Keys.CreateAsync(host, "twice", "viewer");
    }

    [Fact]
    public async Task Only_a_salted_hash_is_kept()
    {
        await using var host = await ServerHost.StartAsync();
        var (id, key) = await Keys.CreateAsync(host, "hashed", "viewer");
        var stored = await host.App.Services.GetRequiredService<IApiKeyStore>().FindAsync(id);
        Assert.NotNull(stored);
        Assert.Equal(16, stored.Salt.Length);
        var plainSha = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        Assert.NotEqual(plainSha, stored.Hash);
        Assert.True(ApiKeySecrets.Matches(stored, key));
        Assert.False(ApiKeySecrets.Matches(stored, key[..^1] + (key[^1] == 'A' ? 'B' : 'A')));
    }
}
