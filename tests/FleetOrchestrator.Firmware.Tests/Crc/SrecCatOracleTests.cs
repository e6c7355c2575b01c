using System.Buffers.Binary;
using System.Globalization;
using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Tests.Support;

namespace FleetOrchestrator.Firmware.Tests.Crc;

/// <summary>
/// srec_cat's -STM32 filter is an independent implementation of the CRC unit's word-fed CRC: it pads the data to
/// whole words with 0x00 and appends the CRC little-endian. Without srec_cat there is nothing to compare against:
/// skipped on a developer machine, failed in CI (tests/run-all.sh installs it); see <see cref="ToolRequirement"/>.
/// </summary>
public sealed class SrecCatOracleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-srec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private uint SrecCatCrc(byte[] data)
    {
        string input = Path.Combine(_dir, "in.bin"), output = Path.Combine(_dir, "out.bin");
        File.WriteAllBytes(input, data);
        int end = (data.Length + 3) & ~3;
        var (code, _, stderr) = ExternalTool.Run("srec_cat", input, "-binary", "-fill", "0x00", "-within", input, "-binary",
            "-range-padding", "4", "-STM32", end.ToString(CultureInfo.InvariantCulture), "-o", output, "-binary");
        Assert.True(code == 0, $"srec_cat failed: {stderr}");
        var result = File.ReadAllBytes(output);
        Assert.Equal(end + 4, result.Length);
        return BinaryPrimitives.ReadUInt32LittleEndian(result.AsSpan(end));
    }

    [RequiresToolTheory("srec_cat")]
    [InlineData("bank1.bin")]
    [InlineData("bank2.bin")]
    [InlineData("gaps.bin")]
    public void Crc_of_toolchain_fixture_matches_srec_cat(string fixture)
    {
        ToolRequirement.Require("srec_cat");
        var data = FirmwareFixtures.Bytes(fixture);
        Assert.Equal(SrecCatCrc(data), Stm32Crc.Compute(data));
    }

    [RequiresToolFact("srec_cat")]
    public void Crc_of_random_data_matches_srec_cat()
    {
        ToolRequirement.Require("srec_cat");
        var random = new Random(42);
        foreach (int length in new[] { 1, 3, 4, 5, 17, 64, 255, 1000, 4096, 98_304 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(SrecCatCrc(data), Stm32Crc.Compute(data));
        }
    }
}
