using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FleetOrchestrator.Server.Tests.Access;

/// <summary>
/// Every mutation and every failed sign-in is one audit record; GET /api/audit lists, filters and pages.
/// </summary>
public sealed class AuditTrailTests
{
    private static async Task<IReadOnlyList<AuditRecord>> AllAsync(ServerHost host) =>
        (await host.App.Services.GetRequiredService<IAuditLog>()
            .QueryAsync(new AuditQuery(null, null, null, null, 1000))).Items;

    [Fact]
    public async Task A_mutation_is_one_record_with_its_actor_action_target_address_and_outcome()
    {
        await using var host = await ServerHost.StartAsync();
        var (_, key) = await Keys.CreateAsync(host, "night-shift", "operator");
        host.Rollouts.Known["r-7"] = "Running";
        var pause = await Keys.SendAsync(host, key, HttpMethod.Post, "/api/rollouts/r-7/pause",
            JsonContent.Create(new { reason = "gate looks odd" }));
        Assert.Equal(HttpStatusCode.OK, pause.Status);
        await Keys.SendAsync(host, key, HttpMethod.Get, "/api/rollouts");

        var records = (await AllAsync(host)).Where(r => r.Actor == "night-shift").ToList();
        var record = Assert.Single(records);
        Assert.Equal(new AuditRecord(ServerHost.Epoch, "night-shift", "operator", "rollouts.pause",
            "/api/rollouts/r-7/pause", "127.0.0.1", "ok", 200, null), record);
    }

    [Fact]
    public async Task A_refused_mutation_is_recorded_with_the_refusal()
    {
        await using var host = await ServerHost.StartAsync();
        var (_, key) = await Keys.CreateAsync(host, "looker", "viewer");
        var answer = await Keys.SendAsync(host, key, HttpMethod.Post, "/api/rollouts/r-7/cancel");
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Empty(host.Rollouts.Actions);

        var record = Assert.Single(await AllAsync(host), r => r.Actor == "looker");
        Assert.Equal(("viewer", "rollouts.cancel", "refused", 403), (record.Role, record.Action, record.Outcome,
            record.Status));
        Assert.Contains("operator role", record.Detail);
    }

    [Fact]
    public async Task A_mutation_on_no_route_still_names_the_key_that_sent_it()
    {
        await using var host = await ServerHost.StartAsync();
        var (_, key) = await Keys.CreateAsync(host, "typo", "operator");
        Assert.Equal(HttpStatusCode.NotFound,
            (await Keys.SendAsync(host, key, HttpMethod.Post, "/api/rolouts/r-1/pause")).Status);
        var record = Assert.Single(await AllAsync(host), r => r.Status == 404);
        Assert.Equal(("typo", "operator", "rolouts.r-1.pause.create", "refused"),
            (record.Actor, record.Role, record.Action, record.Outcome));
    }

    [Fact]
    public async Task Creating_a_key_is_recorded_with_the_new_key_as_target_and_never_its_secret()
    {
        await using var host = await ServerHost.StartAsync();
        var (id, key) = await Keys.CreateAsync(host, "ci-bot", "operator");
        var record = Assert.Single(await AllAsync(host), r => r.Action == "keys.create");
        Assert.Equal(("bootstrap-admin", "admin", $"/api/keys/{id}", 201), (record.Actor, record.Role, record.Target,
            record.Status));
        Assert.Equal("key 'ci-bot' with the operator role", record.Detail);
        Assert.DoesNotContain(key, JsonSerializer.Serialize(await AllAsync(host)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_sign_in_is_one_record_naming_the_claimed_key_and_a_mutation_without_a_key_is_too()
    {
        await using var host = await ServerHost.StartAsync();
        var (id, key) = await Keys.CreateAsync(host, "victim", "admin");
        var wrong = key[..^2] + "xx";
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Keys.SendAsync(host, wrong, HttpMethod.Post, "/api/rollouts/r-1/pause")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Keys.SendAsync(host, "not-a-key", HttpMethod.Get, "/api/artifacts")).Status);
        using (var anonymous = await host.Client.PostAsync("/api/updates", new StringContent("{}")))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using (var device = await host.Client.SendAsync(ServerHost.AsDevice(HttpMethod.Get,
                   "/artifacts/" + new string('0', 64) + "/image.bin", secret: "wrong")))
            Assert.Equal(HttpStatusCode.Unauthorized, device.StatusCode);

        var records = (await AllAsync(host)).Where(r => r.Action != "keys.create").Reverse().ToList();
        Assert.Equal(4, records.Count);
        Assert.Equal(new AuditRecord(ServerHost.Epoch, $"key {id}", null, "sign-in", "POST /api/rollouts/r-1/pause",
            "127.0.0.1", "refused", 401, "operator: the bearer API key is not a key of this server"), records[0]);
        // A key without the fleet_ form can only be the bootstrap key: that is what it claims.
        Assert.Equal(("key bootstrap", "sign-in", "GET /api/artifacts"), (records[1].Actor, records[1].Action,
            records[1].Target));
        Assert.Equal(("(anonymous)", "updates.create", "refused", 401), (records[2].Actor, records[2].Action,
            records[2].Outcome, records[2].Status));
        Assert.Equal(($"device {ServerHost.DeviceId}", "sign-in"), (records[3].Actor, records[3].Action));
        Assert.Empty(host.Rollouts.Actions);
    }

    [Fact]
    public async Task The_trail_is_listed_newest_first_filtered_and_paged_with_a_cursor()
    {
        await using var host = await ServerHost.StartAsync();
        var (_, alice) = await Keys.CreateAsync(host, "alice", "operator");
        var (_, bob) = await Keys.CreateAsync(host, "bob", "operator");
        foreach (var action in new[] { "pause", "resume", "pause", "cancel", "pause" })
        {
            host.Time.Advance(TimeSpan.FromMinutes(1));
            await Keys.SendAsync(host, alice, HttpMethod.Post, $"/api/rollouts/r-1/{action}");
            await Keys.SendAsync(host, bob, HttpMethod.Post, $"/api/rollouts/r-2/{action}");
            await Keys.SendAsync(host, alice, HttpMethod.Post, "/api/updates");
        }

        var page = await Keys.SendAsync(host, bob, HttpMethod.Get, "/api/audit?actor=alice&action=rollouts&limit=2");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var seen = new List<JsonElement>(page.Body.GetProperty("items").EnumerateArray());
        var next = page.Body.GetProperty("next").GetString();
        while (next is not null)
        {
            var more = await Keys.SendAsync(host, bob, HttpMethod.Get,
                $"/api/audit?actor=alice&action=rollouts&limit=2&cursor={next}");
            Assert.True(more.Body.GetProperty("items").GetArrayLength() <= 2);
            seen.AddRange(more.Body.GetProperty("items").EnumerateArray());
            next = more.Body.GetProperty("next").GetString();
        }
        Assert.Equal(["rollouts.pause", "rollouts.cancel", "rollouts.pause", "rollouts.resume", "rollouts.pause"],
            seen.Select(i => i.GetProperty("action").GetString()));
        Assert.All(seen, i => Assert.Equal("alice", i.GetProperty("actor").GetString()));
        var first = seen[0];
        string[] fields = ["at", "actor", "role", "action", "target", "from", "outcome", "status", "detail"];
        foreach (var field in fields)
            Assert.True(first.TryGetProperty(field, out _), $"an audit item has no '{field}'");

        var since = ServerHost.Epoch.AddMinutes(4).ToString("O");
        var recent = await Keys.SendAsync(host, bob, HttpMethod.Get,
            $"/api/audit?action=rollouts.pause&since={Uri.EscapeDataString(since)}");
        Assert.Equal([("bob", "/api/rollouts/r-2/pause"), ("alice", "/api/rollouts/r-1/pause")],
            recent.Body.GetProperty("items").EnumerateArray().Select(i =>
                (i.GetProperty("actor").GetString(), i.GetProperty("target").GetString())));
        Assert.Equal(JsonValueKind.Null, recent.Body.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("since=yesterday", "since")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=-3", "cursor")]
    [InlineData("actor=a&actor=b", "actor")]
    [InlineData("action=", "action")]
    public async Task A_bad_audit_parameter_is_400_naming_it(string query, string parameter)
    {
        await using var host = await ServerHost.StartAsync();
        var answer = await Keys.SendAsync(host, ServerHost.OperatorKey, HttpMethod.Get, "/api/audit?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal($"{parameter}:", answer.Body.GetProperty("errors")[0].GetString()!.Split(' ')[0]);
    }
}
