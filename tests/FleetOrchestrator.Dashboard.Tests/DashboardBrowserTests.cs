using System.Net;
using System.Text.RegularExpressions;
using FleetOrchestrator.Dashboard.Tests.Support;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Host.Tests.Support;
using FleetOrchestrator.L072.Images;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FleetOrchestrator.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser against a real orchestrator with simulated devices: sign in with the operator
/// key, start a staged rollout from the page, watch its wave bars and counts move by push alone (no reload, no
/// re-read of the rollout), pause it with the page's button, open a device's saga timeline. The screenshot is left
/// in the test output folder: <c>bin/Release/net10.0/screenshots/dashboard-rollout.png</c>.
/// </summary>
public sealed partial class DashboardBrowserTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);
    private static readonly float DeadlineMs = (float)Deadline.TotalMilliseconds;

    // Every Expect below waits up to the deadline: simulated devices on a busy machine take their time.
    static DashboardBrowserTests() => SetDefaultExpectTimeout(DeadlineMs);

    private static readonly Dictionary<string, Dictionary<string, string>> ThreeDevices = new()
    {
        ["web-1"] = new() { ["cell"] = "c1" }, ["web-2"] = new() { ["cell"] = "c2" },
        ["web-3"] = new() { ["cell"] = "c3" },
    };

    // The canary's gate soaks for ten minutes: the rollout is still Running, between its waves, when the test pauses.
    private const string Policy = """
        {
          "name": "browser test",
          "target": { "versions": ["1.0.0"] },
          "waves": [ { "name": "canary", "devices": 1 }, { "name": "rest", "percent": 100 } ],
          "gate": { "minSample": 1, "successAtLeast": 1.0, "failuresAtMost": 0, "soak": "00:10:00" }
        }
        """;

    [ChromiumFact]
    public async Task An_operator_signs_in_starts_a_rollout_watches_it_move_without_a_reload_and_pauses_it()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var devices = await SimulatedFleet.StartAsync(fleet, ThreeDevices, Deadline);
        var upload = await fleet.Operator.UploadAsync(SyntheticImage.Create(SemanticVersion.Parse("1.1.0")), "1.1.0");
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        var artifactId = upload.Body.GetProperty("artifact").GetProperty("id").GetString()!;

        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Context.NewPageAsync();
        var rolloutReads = 0;
        page.Request += (_, r) =>
        {
            if (r.Method == "GET" && r.Url.EndsWith("/api/rollouts/browser", StringComparison.Ordinal))
                Interlocked.Increment(ref rolloutReads);
        };
        try
        {
            await SignInStartWatchAndPauseAsync(page, fleet, artifactId, () => Volatile.Read(ref rolloutReads));
        }
        catch
        {
            // What the page showed when it went wrong, beside the success screenshot.
            await ScreenshotAsync(page, "dashboard-rollout-failed.png");
            throw;
        }
    }

    private static async Task SignInStartWatchAndPauseAsync(IPage page, TestOrchestrator fleet, string artifactId,
        Func<int> rolloutReads)
    {
        await page.GotoAsync(fleet.Host.HttpAddress.ToString());

        await page.FillAsync("#api-key", TestOrchestrator.OperatorKey);
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live");
        await Expect(page.Locator("#fleet-total")).ToHaveTextAsync("3 devices");
        var loadId = await page.EvaluateAsync<string>("window.__dashboardLoadId");

        await page.ClickAsync("#start-rollout summary");
        await page.SelectOptionAsync("#start-artifact", artifactId);
        await page.FillAsync("#start-id", "browser");
        await page.FillAsync("#start-policy", Policy);
        await page.ClickAsync("#start-button");
        await Expect(page.Locator("#start-result")).ToContainTextAsync("started browser");

        var rollout = page.Locator("[data-rollout-id='browser']");
        var canary = rollout.Locator(".wave[data-wave='0']");
        await Expect(canary.Locator("rect[data-outcome='Updated']")).ToHaveCountAsync(1);
        await Expect(canary.Locator(".counts")).ToContainTextAsync("Updated 1");
        await Expect(canary.Locator(".gate")).ToContainTextAsync("soaking");
        await Expect(rollout.Locator(".status")).ToHaveTextAsync("Running");
        await Expect(page.Locator("#versions-chart rect[data-version='1.1.0']")).ToHaveCountAsync(1);

        await page.FillAsync("#action-reason", "paused from the browser test");
        await rollout.Locator("button[data-action='pause']").ClickAsync();
        await Expect(rollout.Locator(".status")).ToHaveTextAsync("Paused");
        await Expect(rollout.Locator("button[data-action='resume']")).ToHaveCountAsync(1);

        // Everything after the start came by push: the page was not reloaded, and it read the rollout once (right
        // after starting it), never again.
        Assert.Equal(loadId, await page.EvaluateAsync<string>("window.__dashboardLoadId"));
        Assert.Equal(1, rolloutReads());
        Assert.Matches(PushedEvents(), await page.Locator("#event-count").TextContentAsync() ?? "");
        var stored = await fleet.Operator.GetJsonAsync("/api/rollouts/browser");
        Assert.Equal("Paused", stored.Body.GetProperty("status").GetString());
        Assert.Contains(stored.Body.GetProperty("audit").EnumerateArray(), a =>
            a.GetProperty("action").GetString() == "pause"
            && a.GetProperty("why").GetString() == "paused from the browser test");

        // The canary (chosen by the plan) has a saga to show.
        var updated = await fleet.Operator.GetJsonAsync("/api/devices?version=1.1.0");
        var canaryId = updated.Body.GetProperty("devices")[0].GetProperty("deviceId").GetString()!;
        await page.FillAsync("#device-id", canaryId);
        await page.ClickAsync("#device-show");
        await Expect(page.Locator("#device-detail")).ToContainTextAsync($"{canaryId}: runs 1.1.0");
        await Expect(page.Locator("#device-detail tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("#device-detail pre")).ToContainTextAsync("runningVersion");

        var screenshot = await ScreenshotAsync(page, "dashboard-rollout.png");
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is suspiciously small");
    }

    private static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        return path;
    }

    [ChromiumFact]
    public async Task A_wrong_key_is_refused_on_the_sign_in_page()
    {
        await using var fleet = await TestOrchestrator.StartAsync();
        await using var chromium = await Chromium.LaunchAsync();
        var page = await chromium.Context.NewPageAsync();
        await page.GotoAsync(fleet.Host.HttpAddress.ToString());

        await page.FillAsync("#api-key", "not-the-key");
        await page.ClickAsync("#sign-in");

        await Expect(page.Locator("#login-error")).ToHaveTextAsync("the key was not accepted");
        await Expect(page.Locator("#app")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("sessionStorage.getItem('fleet.apiKey')"));
    }

    [GeneratedRegex(@"^[1-9][0-9]* events pushed$")]
    private static partial Regex PushedEvents();
}
