using System.Net;
using FleetOrchestrator.Cli.Client;

namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// `fleet keys` and `fleet audit` against the API shapes of the roles-and-audit work (GET/POST /api/keys,
/// DELETE /api/keys/{id}, GET /api/audit), answered by a fake handler because that server side lives in another branch.
/// </summary>
public sealed class KeysAndAuditCommandTests
{
    private static (ClientEnvironment, FakeApiHandler) Fake() {
        var handler = new FakeApiHandler(new()
        {
            ["POST /api/keys"] = (HttpStatusCode.Created,
                """
                {"id":"k-7","name":"ci","role":"viewer","createdAt":"2026-12-05T03:00:00Z","key":"secret-shown-once"}
                """),
            ["GET /api/keys"] = (HttpStatusCode.OK,
                """
                [{"id":"k-7","name":"ci","role":"viewer","createdAt":"2026-12-05T03:00:00Z","createdBy":"admin",
                  "revokedAt":null}]
                """),
            ["DELETE /api/keys/k-7"] = (HttpStatusCode.NoContent, ""),
            ["DELETE /api/keys/k-8"] = (HttpStatusCode.Forbidden,
                """{"title":"Forbidden","status":403,"detail":"role operator may not manage keys"}"""),
            ["GET /api/audit"] = (HttpStatusCode.OK, """
                {"items":[{"at":"2026-12-05T03:01:00Z","actor":"alice","role":"operator","action":"rollout.pause",
                  "target":"eu-1","from":"10.0.0.7","outcome":"ok","status":200,"detail":"night"}],"next":"c-2"}
                """),
        });
        return (new ClientEnvironment { Variable = _ => null, ProfilePath = "/nonexistent/profile.json", Handler = ()
            => handler }, handler);
    }

    private static readonly string[] Server = ["--server", "http://srv.example", "--api-key", "admin-key"];

    [Fact]
    public async Task Keys_create_posts_name_and_role_and_shows_the_key_once_list_and_revoke_work()
    {
        var (environment, handler) = Fake();

        var created = await ClientRun.Of(environment, ["keys", "create", "--name", "ci", "--role", "viewer", "--json",
            .. Server]);
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal("secret-shown-once", created.Json().GetProperty("key").GetString());
        Assert.Equal("""{"name":"ci","role":"viewer"}""", handler.Requests[^1].Body);

        var table = await ClientRun.Of(environment, ["keys", "create", "--name", "ci", "--role", "viewer", .. Server]);
        Assert.Contains("secret-shown-once", table.Out);
        Assert.Contains("shown this once", table.Out);

        var list = await ClientRun.Of(environment, ["keys", "list", .. Server]);
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"k-7\s+│\s+ci\s+│\s+viewer", list.Out);
        var listJson = await ClientRun.Of(environment, ["keys", "list", "--json", .. Server]);
        Assert.Equal("admin", listJson.Json()[0].GetProperty("createdBy").GetString());

        var revoked = await ClientRun.Of(environment, ["keys", "revoke", "k-7", .. Server]);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal("DELETE", handler.Requests[^1].Method);
        var refused = await ClientRun.Of(environment, ["keys", "revoke", "k-8", .. Server]);
        Assert.Equal(ExitCodes.Unreachable, refused.ExitCode);
        Assert.Contains("Forbidden: role operator may not manage keys (HTTP 403)", refused.Err);
    }

    [Fact]
    public async Task Keys_create_refuses_an_unknown_role_before_asking_the_server()
    {
        var (environment, handler) = Fake();
        var run = await ClientRun.Of(environment, ["keys", "create", "--name", "x", "--role", "root", .. Server]);
        Assert.Equal(ExitCodes.UsageOrIoError, run.ExitCode);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Audit_passes_its_filters_as_the_query_and_renders_each_record()
    {
        var (environment, handler) = Fake();

        var run = await ClientRun.Of(environment, ["audit", "--since", "2026-12-05T00:00:00Z", "--actor", "alice",
            "--action", "rollout.pause", "--limit", "5", .. Server]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("?since=2026-12-05T00%3A00%3A00Z&actor=alice&action=rollout.pause&limit=5",
            handler.Requests.Single().Uri.Query);
        Assert.Matches(@"alice\s+│\s+operator\s+│\s+rollout\.pause\s+│\s+eu-1\s+│\s+10\.0\.0\.7", run.Out);
        Assert.Contains("next: --cursor c-2", run.Out);
        var next = await ClientRun.Of(environment, ["audit", "--cursor", "c-2", .. Server]);
        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal("?cursor=c-2", handler.Requests[^1].Uri.Query);
        var json = await ClientRun.Of(environment, ["audit", "--json", .. Server]);
        Assert.Equal("night", json.Json().GetProperty("items")[0].GetProperty("detail").GetString());
        Assert.Equal("", handler.Requests[^1].Uri.Query);
    }
}
