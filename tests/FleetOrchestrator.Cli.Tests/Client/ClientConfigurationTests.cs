using System.Net;
using FleetOrchestrator.Cli.Client;

namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// Where the client takes its server and key (option, then environment, then fleet login's profile), what login
/// writes, and how refusals and unreachable servers are shown and exited.
/// </summary>
public sealed class ClientConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-client-config-").FullName;

    private string ProfilePath => Path.Combine(_dir, "config", "fleet", "profile.json");

    private ClientEnvironment Environment(Dictionary<string, string>? variables = null, FakeApiHandler? handler = null)
        => new()
    {
        Variable = name => variables is not null && variables.TryGetValue(name, out var v) ? v : null,
        ProfilePath = ProfilePath,
        Handler = handler is null ? null : () => handler,
    };

    private static readonly Dictionary<string, string> Env = new()
    {
        [ClientEnvironment.ServerVariable] = "http://env.example:8080",
        [ClientEnvironment.ApiKeyVariable] = "env-key",
    };

    [Fact]
    public void The_option_wins_over_the_environment_which_wins_over_the_profile_each_setting_on_its_own()
    {
        new ClientProfile("http://profile.example:8080/", "profile-key").Save(ProfilePath);

        var fromProfile = ServerConnection.Resolve(null, null, Environment());
        Assert.Equal(new Uri("http://profile.example:8080/"), fromProfile.Server);
        Assert.Equal("profile-key", fromProfile.ApiKey);

        var fromEnvironment = ServerConnection.Resolve(null, null, Environment(Env));
        Assert.Equal(new Uri("http://env.example:8080/"), fromEnvironment.Server);
        Assert.Equal("env-key", fromEnvironment.ApiKey);
        Assert.Equal(ClientEnvironment.ServerVariable, fromEnvironment.ServerSource);

        var mixed = ServerConnection.Resolve("http://option.example:9000/base", null, Environment(Env));
        Assert.Equal(new Uri("http://option.example:9000/base/"), mixed.Server);
        Assert.Equal("env-key", mixed.ApiKey);
        Assert.Equal("--server", mixed.ServerSource);

        var keyOnly = ServerConnection.Resolve(null, "option-key",
            Environment(new Dictionary<string,
                string> { [ClientEnvironment.ServerVariable] = "http://env.example:8080" }));
        Assert.Equal("option-key", keyOnly.ApiKey);
        Assert.Equal(new Uri("http://env.example:8080/"), keyOnly.Server);
    }

    [Fact]
    public void No_server_anywhere_is_null_and_a_server_without_key_or_a_bad_url_is_a_usage_error()
    {
        Assert.Null(ServerConnection.TryResolve(null, null, Environment()));
        Assert.Throws<ClientUsageException>(() => ServerConnection.Resolve(null, null, Environment()));
        Assert.Contains(ClientEnvironment.ApiKeyVariable, Assert.Throws<ClientUsageException>(
            () => ServerConnection.Resolve("http://x:1", null, Environment())).Message);
        Assert.Contains("not an http", Assert.Throws<ClientUsageException>(
            () => ServerConnection.Resolve("ftp://x", "k", Environment())).Message);
    }

    [Fact]
    public async Task Login_checks_the_key_with_api_me_and_writes_a_profile_only_the_owner_can_read()
    {
        var handler = new FakeApiHandler(new()
        {
            ["GET /api/me"] = (HttpStatusCode.OK, """{"name":"alice","role":"operator","keyId":"k-1"}"""),
        });

        var run = await ClientRun.Of(Environment(handler: handler),
            ["login", "--server", "http://srv.example:8080", "--api-key", "alice-key"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("as alice (role operator, key k-1)", run.Out);
        Assert.Equal("Bearer alice-key", handler.Requests.Single().Authorization);
        Assert.Equal("http://srv.example:8080/api/me", handler.Requests.Single().Uri.AbsoluteUri);
        Assert.Equal(new ClientProfile("http://srv.example:8080/", "alice-key"), ClientProfile.Load(ProfilePath));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ProfilePath));

        // Later verbs take the profile: no option, no environment.
        var later = await ClientRun.Of(Environment(handler: handler), ["login", "--json"]);
        Assert.Equal(0, later.ExitCode);
        Assert.Equal("alice", later.Json().GetProperty("name").GetString());
        Assert.Equal("http://srv.example:8080/api/me", handler.Requests[^1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task A_refused_login_exits_3_shows_the_problem_and_writes_no_profile()
    {
        var handler = new FakeApiHandler(new()
        {
            ["GET /api/me"] = (HttpStatusCode.Unauthorized,
                """{"title":"Unauthorized","status":401,"detail":"the API key is not valid"}"""),
        });

        var run = await ClientRun.Of(Environment(handler: handler),
            ["login", "--server", "http://srv.example:8080", "--api-key", "wrong"]);

        Assert.Equal(ExitCodes.Unreachable, run.ExitCode);
        Assert.Equal("error: Unauthorized: the API key is not valid (HTTP 401)", run.Err.Trim());
        Assert.False(File.Exists(ProfilePath));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_exits_3_and_a_missing_server_exits_2()
    {
        var unreachable = await ClientRun.Of(Environment(),
            ["rollout", "list", "--server", "http://127.0.0.1:1", "--api-key", "k"]);
        Assert.Equal(ExitCodes.Unreachable, unreachable.ExitCode);
        Assert.StartsWith("error: cannot reach http://127.0.0.1:1/", unreachable.Err, StringComparison.Ordinal);

        var nowhere = await ClientRun.Of(Environment(), ["rollout", "list"]);
        Assert.Equal(ExitCodes.UsageOrIoError, nowhere.ExitCode);
        Assert.Contains("no server", nowhere.Err);
    }

    [Fact]
    public void Problem_details_are_rendered_as_title_detail_status_with_each_field_error()
    {
        var rollout = FleetApiException.From(HttpStatusCode.BadRequest, "Bad Request", """
            {"title":"Invalid rollout","status":400,"detail":"2 problems",
             "errors":[{"path":"$.policy.gate.successAtLeast","message":"must be from 0 to 1"},
                       {"path":"$.artifactId","message":"required"}]}
            """);
        Assert.Equal(string.Join(System.Environment.NewLine, "Invalid rollout: 2 problems (HTTP 400)",
            "  $.policy.gate.successAtLeast: must be from 0 to 1", "  $.artifactId: required"), rollout.Render());

        var validation = FleetApiException.From(HttpStatusCode.BadRequest, "Bad Request",
            """{"title":"Invalid device","detail":"bad id","errors":{"deviceId":["not allowed"]}}""");
        Assert.EndsWith("deviceId: not allowed", validation.Render(), StringComparison.Ordinal);

        var proxy = FleetApiException.From(HttpStatusCode.BadGateway, "Bad Gateway", "<html>upstream down</html>");
        Assert.Equal("Bad Gateway: <html>upstream down</html> (HTTP 502)", proxy.Render());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
