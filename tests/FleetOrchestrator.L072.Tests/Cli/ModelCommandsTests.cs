using System.CommandLine;
using System.Text.Json;
using FleetOrchestrator.Cli.Commands;

namespace FleetOrchestrator.L072.Tests.Cli;

public sealed class ModelCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Exit, string Out, string Err) Fleet(params string[] args)
    {
        var root = new RootCommand { ModelCommands.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    [Fact]
    public void Make_image_then_sweep_as_json_passes_with_exit_0()
    {
        Assert.Equal(0, Fleet("model", "make-image", "--version", "1.0.0", "--size", "4096", "--out", Path("a.hex")).Exit);
        Assert.Equal(0, Fleet("model", "make-image", "--version", "1.1.0", "--size", "4096", "--out", Path("b.bin")).Exit);

        var (exit, stdout, _) = Fleet("model", "sweep", "--from", Path("a.hex"), "--to", Path("b.bin"), "--json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        long operations = json.RootElement.GetProperty("operations").GetInt64();
        Assert.True(operations > 96, $"4 KB image: 32 erases + 64 half-pages + records, got {operations}");
        Assert.Equal(operations, json.RootElement.GetProperty("cuts").GetInt64());
        Assert.Equal(0, json.RootElement.GetProperty("bricked").GetInt64());
        Assert.Equal(operations, json.RootElement.GetProperty("completed").GetInt64());
    }

    [Fact]
    public void Human_summary_reports_the_counts_and_progress_goes_to_stderr()
    {
        Fleet("model", "make-image", "--version", "2.0.0", "--size", "2048", "--out", Path("a.bin"));
        Fleet("model", "make-image", "--version", "2.0.1", "--size", "2048", "--out", Path("b.bin"));
        var (exit, stdout, stderr) = Fleet("model", "sweep", "--from", Path("a.bin"), "--to", Path("b.bin"));
        Assert.Equal(0, exit);
        Assert.Contains("bricked: 0", stdout, StringComparison.Ordinal);
        Assert.Contains("PASS", stdout, StringComparison.Ordinal);
        Assert.Contains("sweeping:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_crash_looping_new_image_is_swept_through_its_revert_and_passes()
    {
        Fleet("model", "make-image", "--version", "1.0.0", "--size", "1024", "--out", Path("a.bin"));
        Fleet("model", "make-image", "--version", "1.1.0", "--behaviour", "crash-loop", "--size", "1024", "--out", Path("b.bin"));
        var (exit, stdout, _) = Fleet("model", "sweep", "--from", Path("a.bin"), "--to", Path("b.bin"), "--json");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("RolledBack", json.RootElement.GetProperty("expectedEnd").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("bricked").GetInt64());
        Assert.Equal(json.RootElement.GetProperty("cuts").GetInt64(), json.RootElement.GetProperty("completed").GetInt64());
    }

    [Fact]
    public void An_update_that_cannot_complete_on_a_V4_0_ROM_exits_1()
    {
        Fleet("model", "make-image", "--version", "1.0.0", "--size", "1024", "--out", Path("a.bin"));
        Fleet("model", "make-image", "--version", "1.1.0", "--size", "1024", "--out", Path("b.bin"));
        var (exit, _, stderr) = Fleet("model", "sweep", "--from", Path("a.bin"), "--to", Path("b.bin"), "--rom", "4.0");
        Assert.Equal(1, exit);
        Assert.Contains("SwapNotBooted", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model", "sweep", "--from", "x.hex")]
    [InlineData("model", "sweep", "--from", "/nonexistent/a.hex", "--to", "/nonexistent/b.hex")]
    [InlineData("model", "sweep", "--from", "a", "--to", "b", "surplus")]
    [InlineData("model", "sweep", "--from", "a", "--to", "b", "--rom", "5.0")]
    [InlineData("model", "sweep", "--from", "a", "--to", "b", "--start-bank", "3")]
    [InlineData("model", "sweep", "--from", "a", "--to", "b", "--chunk-size", "0")]
    [InlineData("model", "make-image", "--version", "1.0", "--out", "x.hex")]
    [InlineData("model", "make-image", "--version", "1.0.0", "--behaviour", "explodes", "--out", "x.hex")]
    [InlineData("model", "make-image", "--version", "1.0.0", "--out", "x.elf")]
    [InlineData("model", "make-image", "--version", "1.0.0", "--size", "1001", "--out", "x.bin")]
    public void Usage_and_IO_errors_exit_2_with_a_message(params string[] args)
    {
        var (exit, _, stderr) = Fleet(args);
        Assert.Equal(2, exit);
        Assert.StartsWith("error:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_named_in_the_error()
    {
        File.WriteAllText(Path("bad.hex"), ":10000000ZZ\n");
        Fleet("model", "make-image", "--version", "1.0.0", "--size", "1024", "--out", Path("a.bin"));
        var (exit, _, stderr) = Fleet("model", "sweep", "--from", Path("a.bin"), "--to", Path("bad.hex"));
        Assert.Equal(2, exit);
        Assert.Contains("bad.hex", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_sample_images_are_a_valid_old_new_pair()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(System.IO.Path.Combine(root, "FleetOrchestrator.sln"))) root = Directory.GetParent(root)!.FullName;
        string images = System.IO.Path.Combine(root, "tests", "fixtures", "images");
        var (exit, stdout, _) = Fleet("model", "make-image", "--version", "1.0.0", "--out", Path("again.hex"));
        Assert.Equal(0, exit);
        Assert.Contains("version 1.0.0", stdout, StringComparison.Ordinal);
        // the fixture is exactly what make-image writes today (deterministic), so the README's sweep is reproducible
        Assert.Equal(File.ReadAllText(Path("again.hex")), File.ReadAllText(System.IO.Path.Combine(images, "app-1.0.0.hex")));
        Assert.True(File.Exists(System.IO.Path.Combine(images, "app-1.1.0.hex")));
    }
}
