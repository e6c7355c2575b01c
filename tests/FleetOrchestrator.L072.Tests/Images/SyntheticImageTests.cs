using System.Buffers.Binary;
using System.Text;
using FleetOrchestrator.Firmware.Images;
using FleetOrchestrator.L072.Images;

namespace FleetOrchestrator.L072.Tests.Images;

public class SyntheticImageTests
{
    [Fact]
    public void Synthetic_image_has_a_valid_vector_table_and_a_readable_marker()
    {
        var image = SyntheticImage.Create(TestImages.V2, ImageBehaviour.Hang, 8192, lacksVtorFix: true);
        Assert.Equal(0x2000_5000u, BinaryPrimitives.ReadUInt32LittleEndian(image));
        uint reset = BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(4));
        Assert.Equal(1u, reset & 1);
        Assert.InRange(reset & ~1u, 0x0800_0000u, 0x0800_0000u + 8192);
        var marker = ImageMarker.TryRead(image.AsSpan(ImageMarker.Offset));
        Assert.Equal(new ImageMarker(TestImages.V2, ImageBehaviour.Hang, true, 8192), marker);
    }

    [Fact]
    public void Same_inputs_give_the_same_bytes_and_versions_differ()
    {
        Assert.Equal(SyntheticImage.Create(TestImages.V1, size: 1024), SyntheticImage.Create(TestImages.V1, size: 1024));
        Assert.NotEqual(SyntheticImage.Create(TestImages.V1, size: 1024), SyntheticImage.Create(TestImages.V2, size: 1024));
    }

    [Fact]
    public void A_damaged_marker_is_not_a_marker()
    {
        var image = SyntheticImage.Create(TestImages.V1, size: 1024);
        image[ImageMarker.Offset + 9] ^= 1;
        Assert.Null(ImageMarker.TryRead(image.AsSpan(ImageMarker.Offset)));
        Assert.Null(ImageMarker.TryRead(new byte[32]));
    }

    [Fact]
    public void Intel_HEX_output_reads_back_through_the_Firmware_reader()
    {
        var image = SyntheticImage.Create(TestImages.V2, size: 70_000 & ~3); // crosses a 64 KB boundary
        string hex = IntelHexWriter.Write(image, 0x0800_0000, SyntheticImage.ResetHandler);
        Assert.StartsWith(":020000040800F2\n", hex, StringComparison.Ordinal);
        Assert.Contains(":020000040801F1\n", hex, StringComparison.Ordinal);
        Assert.EndsWith(":00000001FF\n", hex, StringComparison.Ordinal);
        var result = ImageFileReader.Read("x.hex", Encoding.ASCII.GetBytes(hex));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(image, result.Image!.Bytes.ToArray());
    }

    [Fact]
    public void Intel_HEX_record_checksums_match_the_reference_example()
    {
        // reference §8: SP 0x20005000, reset 0x080000C1
        string hex = IntelHexWriter.Write([0x00, 0x50, 0x00, 0x20, 0xC1, 0x00, 0x00, 0x08], 0x0800_0000, 0x0800_00C1);
        Assert.Contains(":0800000000500020C1000008BF\n", hex, StringComparison.Ordinal);
        Assert.Contains(":04000005080000C12E\n", hex, StringComparison.Ordinal);
    }
}
