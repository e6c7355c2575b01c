using System.Net;
using FleetOrchestrator.Server.Hosting;
using FleetOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace FleetOrchestrator.Server.Tests.Api;

/// <summary>Failed sign-ins (operator key, device credentials) are logged without flooding the log, and slowed per
/// address.</summary>
public sealed class SignInFailureTests
{
    private readonly FakeTimeProvider _time = new(ServerHost.Epoch);

    [Fact]
    public async Task Repeated_failures_from_one_address_wait_longer_on_the_fake_clock_for_either_scheme()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await ServerHost.StartAsync(
            o => o with { SignInFailuresBeforeDelay = 2, SignInFailureDelay = TimeSpan.FromSeconds(1) }, logs: logs,
                time: _time);

        Assert.Equal(HttpStatusCode.Unauthorized, (await WrongOperatorKeyAsync(host)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WrongDeviceSecretAsync(host)).StatusCode);

        // The third failure from 127.0.0.1 waits 1 s of the server's clock before its 401.
        var third = WrongOperatorKeyAsync(host);
        await WaitForFailureLogsAsync(logs, 3);
        Assert.False(third.IsCompleted, "the third failure was answered without waiting");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await third.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode);

        // The fourth waits 2 s: 1 s is not enough.
        var fourth = WrongDeviceSecretAsync(host);
        await WaitForFailureLogsAsync(logs, 4);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(fourth.IsCompleted, "the fourth failure waited only 1 s");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fourth.WaitAsync(TimeSpan.FromSeconds(10))).StatusCode);

        // A correct sign-in from the same address is never slowed.
        using var ok = await host.Client.SendAsync(ServerHost.AsOperator(HttpMethod.Get, "/api/artifacts"))
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task A_flood_of_failures_logs_a_few_lines_then_one_per_refill_with_the_count_held_back()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = await ServerHost.StartAsync(o => o with { SignInFailuresBeforeDelay = 10_000 },
            logs: logs, time: _time);

        for (int i = 0; i < 60; i++) (await WrongOperatorKeyAsync(host)).Dispose();
        Assert.Equal(SignInFailures.LogBurst, FailureLines(logs).Count);

        _time.Advance(SignInFailures.LogRefill);
        (await WrongDeviceSecretAsync(host)).Dispose();

        var lines = FailureLines(logs);
        Assert.Equal(SignInFailures.LogBurst + 1, lines.Count);
        Assert.Equal(60 - SignInFailures.LogBurst, Convert.ToInt32(lines[^1].Single(kv
            => kv.Key == "Suppressed").Value));
        Assert.Equal("127.0.0.1", lines[^1].Single(kv => kv.Key == "Address").Value?.ToString());
    }

    private static Task<HttpResponseMessage> WrongOperatorKeyAsync(ServerHost host) =>
        host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/artifacts")
        {
            Headers = { Authorization = ServerHost.Operator("not-the-key") },
        });

    private static Task<HttpResponseMessage> WrongDeviceSecretAsync(ServerHost host) =>
        host.Client.SendAsync(ServerHost.AsDevice(HttpMethod.Get,
            $"/artifacts/{new string('0', 64)}/image.bin", ServerHost.DeviceId, "wrong-secret"));

    private static List<IReadOnlyList<KeyValuePair<string, object?>>> FailureLines(CapturingLoggerProvider logs) =>
        [.. logs.Entries.Where(IsFailureLine)];

    private static bool IsFailureLine(IReadOnlyList<KeyValuePair<string, object?>> entry)
    {
        try
        {
            return entry.Any(kv => kv.Key == "{OriginalFormat}" && kv.Value is string f && f
                .StartsWith("Failed {Who} sign-in", StringComparison.Ordinal));
        }
        catch (ObjectDisposedException)
        {
            // ASP.NET Core's request log states read the request lazily; once it is over they cannot be read. Not
            // ours.
            return false;
        }
    }

    // The failure is logged before the 401 waits: once its line is there, the wait has begun.
    private static async Task WaitForFailureLogsAsync(CapturingLoggerProvider logs, int count)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (FailureLines(logs).Count < count) await Task.Delay(10, deadline.Token);
    }
}
