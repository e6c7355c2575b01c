using System.Net;
using System.Text.Json;
using FleetOrchestrator.Server.Tests.Support;

namespace FleetOrchestrator.Server.Tests.Hosting;

/// <summary>The errors no endpoint writes (unknown route, wrong method, too large, unhandled exception) are
/// problem+json too.</summary>
public sealed class ProblemResponsesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("/no/such/route")]
    [InlineData("/api/no-such-thing")]
    public async Task An_unknown_route_is_a_404_problem(string path)
    {
        using var response = await fixture.Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, path));

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem()
    {
        using var response = await fixture.Host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Put,
            "/api/updates"));

        await AssertProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task A_body_over_the_server_limit_is_a_413_problem()
    {
        // Kestrel's request body limit (30,000,000 bytes by default), hit when the endpoint starts reading the body.
        // A raw request announcing more, with none of it sent: HttpClient would still be sending when the server
        // answers.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(fixture.Host.BaseAddress.Host, fixture.Host.BaseAddress.Port);
        var stream = socket.GetStream();
        var head = $"POST /api/updates HTTP/1.1\r\nHost: {fixture.Host.BaseAddress.Authority}\r\n" +
                   $"Authorization: Bearer {ServerHost.OperatorKey}\r\nContent-Type: application/json\r\n" +
                   "Content-Length: 30000001\r\n\r\n{";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = await ReadResponseAsync(stream, timeout.Token);

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"status\":413", answer, StringComparison.Ordinal);
    }

    // Reads until the server closes or a complete Content-Length body has arrived.
    private static async Task<string> ReadResponseAsync(System.Net.Sockets.NetworkStream stream, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        var buffer = new byte[8192];
        while (true)
        {
            int read = await stream.ReadAsync(buffer, ct);
            if (read == 0) return text.ToString();
            text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
            var all = text.ToString();
            int end = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var length = System.Text.RegularExpressions.Regex.Match(all, @"Content-Length: (\d+)",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            if (end >= 0 && length.Success && all.Length - end - 4 >= int.Parse(length.Groups[1].Value)) return all;
        }
    }

    [Fact]
    public async Task An_unhandled_exception_is_a_500_problem_that_does_not_leak_its_message()
    {
        await using var host = await ServerHost.StartAsync();
        host.Fleet.Failure = new InvalidOperationException("read model broke at /var/lib/fleet/secret-path");

        using var response = await host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get,
            "/api/devices/dev-0001"));

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("/var/lib/fleet", await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var problem = document.RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }
}
