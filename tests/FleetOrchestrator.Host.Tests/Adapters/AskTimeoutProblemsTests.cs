using System.Text.Json;
using Akka.Actor;
using FleetOrchestrator.Host.Adapters;
using FleetOrchestrator.Host.Tests.Support;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace FleetOrchestrator.Host.Tests.Adapters;

/// <summary>An actor that does not answer in time makes a 503 problem with Retry-After, not an empty 500.</summary>
public sealed class AskTimeoutProblemsTests
{
    [Fact]
    public async Task An_ask_timeout_is_a_503_problem_with_retry_after_and_other_exceptions_are_left_alone()
    {
        await using var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var handler = new AskTimeoutProblems(services.GetRequiredService<IProblemDetailsService>(),
            NullLogger<AskTimeoutProblems>.Instance);
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = "GET";
        context.Request.Path = "/api/rollouts/r1/devices";
        context.Response.Body = new MemoryStream();

        Assert.True(await handler.TryHandleAsync(context, new AskTimeoutException("Timeout after 00:00:10"), default));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, context.Response.StatusCode);
        Assert.Equal("5", context.Response.Headers.RetryAfter.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("did not answer", problem.RootElement.GetProperty("detail").GetString());

        var other = new DefaultHttpContext { RequestServices = services };
        Assert.False(await handler.TryHandleAsync(other, new InvalidOperationException("a bug"), default));
        Assert.Equal(StatusCodes.Status200OK, other.Response.StatusCode);
    }

    [Fact]
    public async Task The_orchestrator_composition_registers_it()
    {
        await using var orchestrator = await TestOrchestrator.StartAsync();
        Assert.Contains(orchestrator.Host.Web.Services.GetServices<IExceptionHandler>(), h => h is AskTimeoutProblems);
    }
}
