using System.Text.Json;

namespace FleetOrchestrator.Cli.Tests.Firmware;

public sealed class FirmwareInspectCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-cli-inspect-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("bank1.hex", "ihex")]
    [InlineData("bank1.bin", "bin")]
    public async Task Valid_image_prints_one_json_object_and_exits_0(string fixture, string format)
    {
        var run = await CliRun.Of("firmware", "inspect", CliRun.Fixture(fixture), "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Err);
        var json = run.Json();
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal(format, json.GetProperty("format").GetString());
        Assert.Equal("0x08000000", json.GetProperty("loadAddress").GetString());
        Assert.Equal("0x20005000", json.GetProperty("initialStackPointer").GetString());
        Assert.Matches("^0x080000[0-9A-F][13579BDF]$", json.GetProperty("resetHandler").GetString());
        Assert.Equal(new FileInfo(CliRun.Fixture("bank1.bin")).Length, json.GetProperty("size").GetInt32());
        Assert.Matches("^0x[0-9A-F]{8}$", json.GetProperty("crc32").GetString());
        Assert.Matches("^[0-9a-f]{64}$", json.GetProperty("sha256").GetString());
        Assert.Equal(0, json.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task Hex_and_bin_of_the_same_build_report_the_same_crc_and_digest()
    {
        var hex = (await CliRun.Of("firmware", "inspect", CliRun.Fixture("gaps.hex"), "--json")).Json();
        var bin = (await CliRun.Of("firmware", "inspect", CliRun.Fixture("gaps.bin"), "--json")).Json();
        Assert.Equal(bin.GetProperty("crc32").GetString(), hex.GetProperty("crc32").GetString());
        Assert.Equal(bin.GetProperty("sha256").GetString(), hex.GetProperty("sha256").GetString());
        Assert.Equal(16392, hex.GetProperty("size").GetInt32());
    }

    [Fact]
    public async Task Image_linked_at_the_second_bank_exits_1_with_the_reason_in_errors()
    {
        var run = await CliRun.Of("firmware", "inspect", CliRun.Fixture("bank2.hex"), "--json");
        Assert.Equal(1, run.ExitCode);
        var json = run.Json();
        Assert.False(json.GetProperty("valid").GetBoolean());
        Assert.Equal("0x08018000", json.GetProperty("loadAddress").GetString());
        var error = Assert.Single(json.GetProperty("errors").EnumerateArray()).GetString()!;
        Assert.Contains("0x08018000", error, StringComparison.Ordinal);
        Assert.Contains("relink it at 0x08000000", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_hex_exits_1_with_the_line_numbered_error()
    {
        var path = Path.Combine(_dir, "broken.hex");
        var lines = File.ReadAllLines(CliRun.Fixture("bank1.hex"));
        lines[2] = lines[2][..^2] + "00"; // corrupt the checksum of line 3
        File.WriteAllLines(path, lines);
        var run = await CliRun.Of("firmware", "inspect", path, "--json");
        Assert.Equal(1, run.ExitCode);
        var json = run.Json();
        Assert.False(json.GetProperty("valid").GetBoolean());
        Assert.Equal("ihex", json.GetProperty("format").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("crc32").ValueKind);
        Assert.Matches("^line 3: checksum 0x00 does not match computed 0x[0-9A-F]{2}$", Assert.Single(json.GetProperty("errors").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Missing_file_exits_2_with_a_message_on_stderr()
    {
        var run = await CliRun.Of("firmware", "inspect", Path.Combine(_dir, "absent.hex"), "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.Contains("absent.hex", run.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("firmware", "inspect")]
    [InlineData("firmware", "inspect", "a.hex", "--bogus")]
    [InlineData("firmware", "frobnicate")]
    public async Task Usage_errors_exit_2(params string[] args)
    {
        var run = await CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.NotEqual("", run.Err);
    }

    [Fact]
    public async Task Without_json_prints_a_readable_summary()
    {
        var run = await CliRun.Of("firmware", "inspect", CliRun.Fixture("bank2.hex"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("NOT a valid L072 bank image", run.Out, StringComparison.Ordinal);
        Assert.Contains("load address    0x08018000", run.Out, StringComparison.Ordinal);
        Assert.Contains("error: image is linked at 0x08018000", run.Out, StringComparison.Ordinal);
    }
}
