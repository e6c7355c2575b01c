using System.Net;
using System.Text;

namespace FleetOrchestrator.Cli.Tests.Client;

/// <summary>
/// An HTTP handler answering from a table of "METHOD /path" to (status, JSON), recording every request: stands in for
/// endpoints another branch builds (/api/me, /api/keys, /api/audit) and for answers a real server gives rarely.
/// </summary>
internal sealed class FakeApiHandler(Dictionary<string, (HttpStatusCode Status, string Json)> answers)
    : HttpMessageHandler
{
    public List<(string Method, Uri Uri, string? Authorization, string? Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        Requests.Add((request.Method.Method, request.RequestUri!, request.Headers.Authorization?.ToString(), body));
        var key = $"{request.Method.Method} {request.RequestUri!.AbsolutePath}";
        if (!answers.TryGetValue(key, out var answer))
            answer = (HttpStatusCode.NotFound, """{"title":"Not found","status":404,"detail":"no such route"}""");
        var contentType = (int)answer.Status >= 400 ? "application/problem+json" : "application/json";
        return new HttpResponseMessage(answer.Status)
        {
            Content = answer.Json.Length == 0 ? null : new StringContent(answer.Json, Encoding.UTF8, contentType),
        };
    }
}
