using System.Net;
using FleetOrchestrator.Server.Access;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.AspNetCore.Http;

namespace FleetOrchestrator.Server.Tests.Access;

/// <summary>
/// Each endpoint family with a key of each role: refused (403 naming the role needed) exactly when the role is below
/// what <see cref="AccessRules"/> asks. Provisioning (mapped by the Host) is in the Host's tests.
/// </summary>
public sealed class RoleAccessTests(RoleAccessTests.Fixture fixture) : IClassFixture<RoleAccessTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        internal ServerHost Host { get; private set; } = null!;
        internal Dictionary<string, string> KeyOf { get; } = [];

        public async Task InitializeAsync()
        {
            Host = await ServerHost.StartAsync();
            foreach (var role in OperatorRoles.Names)
                KeyOf[role] = (await Keys.CreateAsync(Host, "role-" + role, role)).Key;
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    public static TheoryData<string, string, string> Rows() => new()
    {
        { "GET", "/api/artifacts", "viewer" },
        { "GET", "/api/artifacts/" + new string('0', 64), "viewer" },
        { "POST", "/api/artifacts?version=1.0.0", "operator" },
        { "DELETE", "/api/artifacts/" + new string('0', 64), "operator" },
        { "GET", "/api/devices", "viewer" },
        { "GET", "/api/devices/dev-1", "viewer" },
        { "POST", "/api/updates", "operator" },
        { "GET", "/api/rollouts", "viewer" },
        { "GET", "/api/rollouts/r-1", "viewer" },
        { "GET", "/api/rollouts/r-1/devices", "viewer" },
        { "POST", "/api/rollouts", "operator" },
        { "POST", "/api/rollouts?dryRun=true", "operator" },
        { "POST", "/api/rollouts/r-1/pause", "operator" },
        { "POST", "/api/rollouts/r-1/approve", "operator" },
        { "GET", "/api/me", "viewer" },
        { "GET", "/api/audit", "operator" },
        { "GET", "/api/keys", "admin" },
        { "POST", "/api/keys", "admin" },
        { "DELETE", "/api/keys/0123456789ab", "admin" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_role_reaches_exactly_the_endpoints_its_role_includes(string method, string path,
        string needed)
    {
        Assert.True(OperatorRoles.TryParse(needed, out var neededRole));
        foreach (var role in OperatorRoles.Names)
        {
            OperatorRoles.TryParse(role, out var held);
            var answer = await Keys.SendAsync(fixture.Host, fixture.KeyOf[role], new HttpMethod(method), path,
                new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
            if (held.Includes(neededRole))
            {
                Assert.NotEqual(HttpStatusCode.Forbidden, answer.Status);
                Assert.NotEqual(HttpStatusCode.Unauthorized, answer.Status);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
                Assert.Equal($"The {needed} role is needed", answer.Body.GetProperty("title").GetString());
                Assert.Contains($"'role-{role}' has the {role} role", answer.Body.GetProperty("detail").GetString());
            }
        }
    }

    [Theory]
    [InlineData("POST", "/api/devices", OperatorRole.Admin)]
    [InlineData("PUT", "/api/devices/dev-1/tags", OperatorRole.Admin)]
    [InlineData("DELETE", "/api/devices/dev-1/credentials", OperatorRole.Admin)]
    [InlineData("GET", "/api/devices/dev-1", OperatorRole.Viewer)]
    [InlineData("GET", "/api/KEYS", OperatorRole.Admin)]
    [InlineData("PATCH", "/api/rollouts/r-1", OperatorRole.Operator)]
    [InlineData("GET", "/api/audit", OperatorRole.Operator)]
    [InlineData("GET", "/metrics", OperatorRole.Viewer)]
    [InlineData("GET", "/api/devicesx", OperatorRole.Viewer)]
    public void The_rule_table_gives_each_request_its_role(string method, string path, OperatorRole role) =>
        Assert.Equal(role, AccessRules.RoleFor(method, new PathString(path)));
}
