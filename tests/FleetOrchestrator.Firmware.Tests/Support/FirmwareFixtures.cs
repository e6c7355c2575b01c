namespace FleetOrchestrator.Firmware.Tests.Support;

/// <summary>Locates tests/fixtures/firmware (committed toolchain output) from the test's output directory.</summary>
internal static class FirmwareFixtures
{
    public static string Directory { get; } = Find();

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static string Text(string name) => File.ReadAllText(PathOf(name));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "firmware");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/fixtures/firmware not found above {AppContext.BaseDirectory}");
    }
}
