namespace FleetOrchestrator.Cli.Tests.Firmware;

public sealed class FirmwareSigningCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-cli-sign-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathIn(string name) => Path.Combine(_dir, name);

    private async Task KeygenAsync()
    {
        var run = await CliRun.Of("firmware", "keygen", "--out", _dir, "--key-id", "test-key");
        Assert.Equal(0, run.ExitCode);
        // Strict PEM (nothing before BEGIN), the id beside it.
        var privatePem = await File.ReadAllTextAsync(PathIn("test-key.private.pem"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", privatePem, StringComparison.Ordinal);
        var publicPem = await File.ReadAllTextAsync(PathIn("test-key.public.pem"));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", publicPem, StringComparison.Ordinal);
        Assert.Equal("test-key\n", await File.ReadAllTextAsync(PathIn("test-key.private.keyid")));
        Assert.Equal("test-key\n", await File.ReadAllTextAsync(PathIn("test-key.public.keyid")));
    }

    [Fact]
    public async Task A_key_written_before_with_its_id_on_a_key_id_line_still_signs_and_verifies_under_that_id()
    {
        await KeygenAsync();
        foreach (var name in new[] { "test-key.private", "test-key.public" })
        {
            var pem = await File.ReadAllTextAsync(PathIn(name + ".pem"));
            await File.WriteAllTextAsync(PathIn("old-" + name + ".pem"), "Key-Id: test-key\n" + pem + "\n");
        }
        var sign = await CliRun.Of("firmware", "sign", CliRun.Fixture("bank1.hex"), "--key", PathIn("old-test-key.private.pem"),
            "--version", "1.4.0", "--out", PathIn("m.json"));
        Assert.True(sign.ExitCode == 0, sign.Err);
        Assert.Contains("with key 'test-key'", sign.Out, StringComparison.Ordinal);
        var verify = await CliRun.Of("firmware", "verify", PathIn("m.json"), "--key", PathIn("old-test-key.public.pem"));
        Assert.True(verify.ExitCode == 0, verify.Err);
        Assert.Contains("signature valid (key 'test-key')", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_id_file_that_holds_no_key_id_is_a_usage_error_naming_the_key()
    {
        await KeygenAsync();
        await File.WriteAllTextAsync(PathIn("test-key.private.keyid"), "two words\n");
        var sign = await CliRun.Of("firmware", "sign", CliRun.Fixture("bank1.hex"), "--key", PathIn("test-key.private.pem"),
            "--version", "1.4.0", "--out", PathIn("m.json"));
        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("a key id file must hold one key id", sign.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(PathIn("m.json")));
    }

    [Fact]
    public async Task Keygen_sign_verify_round_trip_including_the_image()
    {
        await KeygenAsync();
        var sign = await CliRun.Of("firmware", "sign", CliRun.Fixture("bank1.hex"), "--key", PathIn("test-key.private.pem"),
            "--version", "1.4.0", "--min-bootloader", "1.1.0", "--allow-downgrade", "--out", PathIn("m.json"));
        Assert.True(sign.ExitCode == 0, sign.Err);

        var verify = await CliRun.Of("firmware", "verify", PathIn("m.json"), "--key", PathIn("test-key.public.pem"), "--image", CliRun.Fixture("bank1.bin"));
        Assert.True(verify.ExitCode == 0, verify.Err);
        Assert.Contains("signature valid (key 'test-key')", verify.Out, StringComparison.Ordinal);
        Assert.Contains("version 1.4.0, target stm32l072cz, min bootloader 1.1.0, downgrade allowed", verify.Out, StringComparison.Ordinal);
        Assert.Contains("matches the manifest", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_with_a_different_image_exits_1_and_lists_the_differences()
    {
        await KeygenAsync();
        await CliRun.Of("firmware", "sign", CliRun.Fixture("bank1.hex"), "--key", PathIn("test-key.private.pem"), "--version", "1.0.0", "--out", PathIn("m.json"));
        var verify = await CliRun.Of("firmware", "verify", PathIn("m.json"), "--key", PathIn("test-key.public.pem"), "--image", CliRun.Fixture("gaps.hex"));
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("does NOT match the manifest", verify.Err, StringComparison.Ordinal);
        Assert.Contains("image is 16392 bytes", verify.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampered_manifest_exits_1_with_the_reason()
    {
        await KeygenAsync();
        await CliRun.Of("firmware", "sign", CliRun.Fixture("bank1.hex"), "--key", PathIn("test-key.private.pem"), "--version", "1.0.0", "--out", PathIn("m.json"));
        var signed = FleetOrchestrator.Firmware.Manifests.SignedManifestFile.FromJson(await File.ReadAllTextAsync(PathIn("m.json")));
        var text = System.Text.Encoding.UTF8.GetString(signed.CanonicalManifest.Span).Replace("\"1.0.0\",\"hardwareTarget\"", "\"9.0.0\",\"hardwareTarget\"", StringComparison.Ordinal);
        var forged = signed with { CanonicalManifest = System.Text.Encoding.UTF8.GetBytes(text) };
        await File.WriteAllTextAsync(PathIn("forged.json"), FleetOrchestrator.Firmware.Manifests.SignedManifestFile.ToJson(forged));

        var verify = await CliRun.Of("firmware", "verify", PathIn("forged.json"), "--key", PathIn("test-key.public.pem"));
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("signature does not verify with key 'test-key'", verify.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_an_invalid_image_exits_1_and_writes_nothing()
    {
        await KeygenAsync();
        var sign = await CliRun.Of("firmware", "sign", CliRun.Fixture("bank2.hex"), "--key", PathIn("test-key.private.pem"), "--version", "1.0.0", "--out", PathIn("m.json"));
        Assert.Equal(1, sign.ExitCode);
        Assert.Contains("image is linked at 0x08018000", sign.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(PathIn("m.json")));
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("v1.2.3")]
    public async Task Bad_version_is_a_usage_error(string version)
    {
        await KeygenAsync();
        var sign = await CliRun.Of("firmware", "sign", CliRun.Fixture("bank1.hex"), "--key", PathIn("test-key.private.pem"), "--version", version);
        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("major.minor.patch", sign.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blank_target_is_a_usage_error()
    {
        await KeygenAsync();
        var sign = await CliRun.Of("firmware", "sign", CliRun.Fixture("bank1.hex"), "--key", PathIn("test-key.private.pem"), "--version", "1.0.0", "--target", " ");
        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("--target", sign.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_with_a_public_key_is_a_usage_error()
    {
        await KeygenAsync();
        var sign = await CliRun.Of("firmware", "sign", CliRun.Fixture("bank1.hex"), "--key", PathIn("test-key.public.pem"), "--version", "1.0.0");
        Assert.Equal(2, sign.ExitCode);
        Assert.Contains("signing needs the private key", sign.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_refuses_to_overwrite_an_existing_key()
    {
        await KeygenAsync();
        var again = await CliRun.Of("firmware", "keygen", "--out", _dir, "--key-id", "test-key");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("refusing to overwrite", again.Err, StringComparison.Ordinal);
    }
}
