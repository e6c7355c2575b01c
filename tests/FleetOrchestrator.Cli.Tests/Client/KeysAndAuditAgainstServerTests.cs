namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// `fleet login`, `fleet keys` and `fleet audit` against a real `fleet serve` (the shapes are the server's, not a
/// fake's):
/// a minted viewer key reads but cannot act, every mutation is in the audit trail once with its actor.
/// </summary>
public sealed class KeysAndAuditAgainstServerTests
{
    [Fact]
    public async Task Login_mints_a_viewer_key_that_reads_but_cannot_act_and_the_audit_names_each_actor_once()
    {
        await using var server = await ClientTestServer.StartAsync();

        var login = await ClientRun.Of(server.Environment, ["login", "--server", server.Url, "--api-key",
            ClientTestServer.Key, "--json"]);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("admin", login.Json().GetProperty("role").GetString());
        Assert.True(File.Exists(server.Environment.ProfilePath));

        var created = await server.RunAsync("keys", "create", "--name", "wall-screen", "--role", "viewer", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var viewerKey = created.Json().GetProperty("key").GetString()!;
        var keyId = created.Json().GetProperty("id").GetString()!;
        var list = await server.RunAsync("keys", "list", "--json");
        Assert.Contains(list.Json().EnumerateArray(), k => k.GetProperty("name").GetString() == "wall-screen");

        string[] asViewer = ["--server", server.Url, "--api-key", viewerKey];
        var read = await ClientRun.Of(server.Environment, ["rollout", "list", "--json", .. asViewer]);
        Assert.True(read.ExitCode == 0, read.ToString());
        var mint = await ClientRun.Of(server.Environment,
            ["keys", "create", "--name", "sneaky", "--role", "admin", .. asViewer]);
        Assert.Equal(ExitCodes.Unreachable, mint.ExitCode); // 403: the key cannot do this
        Assert.Contains("(HTTP 403)", mint.Err);

        var revoked = await server.RunAsync("keys", "revoke", keyId);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var afterRevoke = await ClientRun.Of(server.Environment, ["rollout", "list", .. asViewer]);
        Assert.Equal(ExitCodes.Unreachable, afterRevoke.ExitCode);

        var audit = await server.RunAsync("audit", "--limit", "50", "--json");
        Assert.True(audit.ExitCode == 0, audit.ToString());
        var items = audit.Json().GetProperty("items").EnumerateArray().ToList();
        Assert.Single(items, i => i.GetProperty("action").GetString() == "keys.create"
                                  && i.GetProperty("outcome").GetString() == "ok");
        Assert.Single(items, i => i.GetProperty("action").GetString() == "keys.delete");
        var refused = Assert.Single(items, i => i.GetProperty("outcome").GetString() == "refused"
                                                && i.GetProperty("action").GetString() == "keys.create");
        Assert.Equal("wall-screen", refused.GetProperty("actor").GetString());
        Assert.DoesNotContain(viewerKey, audit.Out);
    }
}
