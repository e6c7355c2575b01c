using System.Text;
using FleetOrchestrator.Host.Provisioning;

namespace FleetOrchestrator.Host.Tests.Provisioning;

/// <summary>
/// Seeded mutations of a valid credential file: every one either loads or is refused with
/// <see cref="DeviceCredentialFileException"/> naming the file, never another exception (which would crash serve's start).
/// </summary>
public sealed class CredentialFileFuzzTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleet-credfuzz-").FullName;

    [Fact]
    public void Mutated_files_load_or_are_refused_with_the_file_named()
    {
        var path = Path.Combine(_directory, DeviceCredentialFile.DefaultFileName);
        var file = new DeviceCredentialFile(path);
        for (int i = 0; i < 3; i++) file.TryAdd($"dev-{i}", $"secret-{i}", DateTimeOffset.UnixEpoch, out _);
        var valid = File.ReadAllBytes(path);
        var random = new Random(20261124);
        int loaded = 0, refused = 0;
        for (int round = 0; round < 2000; round++)
        {
            var bytes = Mutate(valid, random);
            File.WriteAllBytes(path, bytes);
            try
            {
                file.Load();
                loaded++;
            }
            catch (DeviceCredentialFileException e)
            {
                Assert.Contains(path, e.Message);
                refused++;
            }
        }
        // Both branches must be exercised, or the fuzzing proves nothing.
        Assert.True(loaded > 0 && refused > 0, $"loaded {loaded}, refused {refused}");
    }

    private const string Syntax = "{}[]\",:0aZ/= \\";

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = valid.ToList();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)Syntax[random.Next(Syntax.Length)]); break;
                case 3: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40))); break;
                default: bytes[at] = bytes[at]; break; // an unchanged file must still load
            }
        }
        return [.. bytes];
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
