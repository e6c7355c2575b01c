using Microsoft.Playwright;

namespace FleetOrchestrator.Dashboard.Tests.Support;

/// <summary>
/// Debian's Chromium (<c>apt-get install chromium</c>), headless, driven by Playwright for .NET through the driver
/// inside its NuGet package. A fresh profile per launch, deleted at dispose; no network of its own (no updates, no
/// sync, no QUIC), so a test sees only the server it talks to.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private Chromium(IPlaywright playwright, IBrowserContext context, string profile)
    {
        _playwright = playwright;
        Context = context;
        _profile = profile;
    }

    public IBrowserContext Context { get; }

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static async Task<Chromium> LaunchAsync()
    {
        var profile = Directory.CreateTempSubdirectory("fleet-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                ViewportSize = new() { Width = 1400, Height = 1000 },
            });
            return new Chromium(playwright, context, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium's last helper processes may still hold a file for a moment; a temp folder left is harmless.
        }
    }
}
