using FleetOrchestrator.Firmware.Images;

namespace FleetOrchestrator.Firmware.Tests.Images;

public class ImageFileReaderTests
{
    [Theory]
    [InlineData("app.hex", "anything", ImageFormat.IntelHex)]
    [InlineData("APP.IHEX", "anything", ImageFormat.IntelHex)]
    [InlineData("app.bin", ":00000001FF", ImageFormat.Binary)]
    [InlineData("app.fw", ":00000001FF\n", ImageFormat.IntelHex)]
    [InlineData("app", "\n :00000001FF", ImageFormat.IntelHex)]
    [InlineData("app.fw", "\u0000P\u0000 ", ImageFormat.Binary)]
    public void Format_comes_from_a_known_extension_else_from_the_content(string name, string content, ImageFormat expected) =>
        Assert.Equal(expected, ImageFileReader.DetectFormat(name, System.Text.Encoding.Latin1.GetBytes(content)));

    [Fact]
    public void Malformed_hex_becomes_an_invalid_result_with_the_line_numbered_error()
    {
        var result = ImageFileReader.Read("bad.hex", ":020000040800F2\n:0800000000500020C1000008BE\n:00000001FF\n"u8.ToArray());
        Assert.False(result.IsValid);
        Assert.Equal(ImageFormat.IntelHex, result.Format);
        Assert.Equal("line 2: checksum 0xBE does not match computed 0xBF", Assert.Single(result.Errors));
        Assert.Null(result.Sha256);
    }
}
