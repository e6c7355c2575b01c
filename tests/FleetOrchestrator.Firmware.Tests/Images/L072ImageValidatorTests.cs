using System.Buffers.Binary;
using FleetOrchestrator.Firmware.Hex;
using FleetOrchestrator.Firmware.Images;

namespace FleetOrchestrator.Firmware.Tests.Images;

public class L072ImageValidatorTests
{
    /// <summary>A minimal plausible image: SP 0x20005000, reset handler at offset 0x10 (Thumb), <paramref name="size"/> bytes.</summary>
    private static byte[] Vectors(int size, uint sp = 0x2000_5000, uint reset = 0x0800_0011)
    {
        var bytes = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, sp);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), reset);
        return bytes;
    }

    private static ImageValidationResult Hex(uint address, byte[] data) =>
        L072ImageValidator.ValidateIntelHex(IntelHexReader.Parse(IntelHexWriter.Write([new HexSegment(address, data)])));

    [Fact]
    public void A_plausible_binary_is_valid_and_taken_as_linked_at_0x08000000()
    {
        var result = L072ImageValidator.ValidateBinary(Vectors(256));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(L072Bank.LinkAddress, result.Image!.LoadAddress);
        Assert.Equal(ImageFormat.Binary, result.Image.Format);
        Assert.Equal(0x2000_5000u, result.Image.InitialStackPointer);
        Assert.Equal(0x0800_0011u, result.Image.ResetHandler);
    }

    [Fact]
    public void Image_linked_at_the_second_bank_is_refused_with_the_swap_explained()
    {
        var result = Hex(0x0801_8000, Vectors(256, reset: 0x0801_8041));
        Assert.False(result.IsValid);
        Assert.Null(result.Image);
        var error = Assert.Single(result.Errors);
        Assert.Contains("0x08018000", error, StringComparison.Ordinal);
        Assert.Contains("0x08000000", error, StringComparison.Ordinal);
        Assert.Contains("both banks execute at 0x08000000 after the bank swap", error, StringComparison.Ordinal);
        Assert.Contains("relink it at 0x08000000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_at_another_address_names_the_expected_address()
    {
        var result = Hex(0x0800_4000, Vectors(256, reset: 0x0800_4041));
        var error = Assert.Single(result.Errors);
        Assert.Equal("image starts at 0x08004000 but an L072 bank image must be linked at 0x08000000 with its vector table as the first bytes", error);
    }

    [Fact]
    public void Image_of_exactly_one_bank_is_valid() =>
        Assert.True(L072ImageValidator.ValidateBinary(Vectors(L072Bank.Size)).IsValid);

    [Fact]
    public void Oversized_image_says_how_much_too_large()
    {
        var result = L072ImageValidator.ValidateBinary(Vectors(L072Bank.Size + 1000));
        var error = Assert.Single(result.Errors);
        Assert.Equal("image is 99,304 bytes, 1,000 bytes too large for one 98,304-byte bank", error);
        Assert.Equal(99_304, result.Size);
    }

    [Fact]
    public void Gaps_are_filled_with_zeros_and_the_size_spans_to_the_last_byte_rounded_to_a_word()
    {
        var hex = IntelHexReader.Parse(IntelHexWriter.Write([
            new HexSegment(0x0800_0000, Vectors(16)),
            new HexSegment(0x0800_0100, new byte[] { 0xAA, 0xBB, 0xCC, 0xDD, 0xEE }),
        ]));
        var result = L072ImageValidator.ValidateIntelHex(hex);
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var bytes = result.Image!.Bytes.ToArray();
        Assert.Equal(0x108, bytes.Length);
        Assert.All(bytes[16..0x100], b => Assert.Equal(0, b));
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0, 0, 0 }, bytes[0x100..]);
    }

    [Fact]
    public void Binary_with_partial_last_word_is_padded_with_zeros()
    {
        var result = L072ImageValidator.ValidateBinary(Vectors(101));
        Assert.Equal(104, result.Size);
        Assert.Equal(104, result.Image!.Size);
    }

    [Theory]
    [InlineData(0x2000_5000u, true)]
    [InlineData(0x2000_0004u, true)]
    [InlineData(0x2000_0000u, false)] // the interval is open at the bottom
    [InlineData(0x2000_5004u, false)]
    [InlineData(0xFFFF_FFFFu, false)] // erased-looking word: the ROM treats the bank as empty
    [InlineData(0x0000_0000u, false)]
    public void Initial_stack_pointer_must_lie_in_sram(uint sp, bool valid)
    {
        var result = L072ImageValidator.ValidateBinary(Vectors(64, sp: sp));
        Assert.Equal(valid, result.IsValid);
        if (!valid) Assert.Contains(result.Errors, e => e.Contains($"initial stack pointer 0x{sp:X8} is outside SRAM (0x20000000, 0x20005000]", StringComparison.Ordinal));
    }

    [Fact]
    public void Unaligned_stack_pointer_is_refused()
    {
        var result = L072ImageValidator.ValidateBinary(Vectors(64, sp: 0x2000_4FFE));
        Assert.Equal("initial stack pointer 0x20004FFE is not word-aligned", Assert.Single(result.Errors));
    }

    [Fact]
    public void Even_reset_handler_is_refused_as_not_thumb()
    {
        var result = L072ImageValidator.ValidateBinary(Vectors(64, reset: 0x0800_0010));
        Assert.Equal("reset handler 0x08000010 is even; the Cortex-M0+ runs Thumb code only, so bit 0 must be set", Assert.Single(result.Errors));
    }

    [Fact]
    public void Reset_handler_outside_the_image_is_refused()
    {
        var result = L072ImageValidator.ValidateBinary(Vectors(64, reset: 0x0800_0101));
        Assert.Equal("reset handler 0x08000101 points outside the image (0x08000000 to 0x0800003F)", Assert.Single(result.Errors));
    }

    [Fact]
    public void All_problems_are_reported_together()
    {
        var data = Vectors(L072Bank.Size + 4, sp: 0x1000_0001, reset: 0x0900_0000);
        var result = Hex(0x0801_8000, data);
        Assert.Collection(result.Errors,
            e => Assert.StartsWith("image is linked at 0x08018000", e, StringComparison.Ordinal),
            e => Assert.Equal("image is 98,308 bytes, 4 bytes too large for one 98,304-byte bank", e),
            e => Assert.Equal("initial stack pointer 0x10000001 is not word-aligned", e),
            e => Assert.StartsWith("initial stack pointer 0x10000001 is outside SRAM", e, StringComparison.Ordinal),
            e => Assert.StartsWith("reset handler 0x09000000 is even", e, StringComparison.Ordinal),
            e => Assert.Equal("reset handler 0x09000000 points outside the image (0x08018000 to 0x08030003)", e));
        Assert.Null(result.Image);
    }

    [Fact]
    public void Too_short_for_a_vector_table()
    {
        var result = L072ImageValidator.ValidateBinary(new byte[] { 0, 0x50, 0, 0x20 });
        Assert.Equal("image is 4 bytes, too short for a vector table (initial stack pointer and reset handler take 8)", Assert.Single(result.Errors));
    }

    [Fact]
    public void Empty_binary_and_hex_without_data_are_refused()
    {
        Assert.Equal("the image is empty", Assert.Single(L072ImageValidator.ValidateBinary(Array.Empty<byte>()).Errors));
        Assert.Equal("the HEX file holds no data records", Assert.Single(L072ImageValidator.ValidateIntelHex(IntelHexReader.Parse(":00000001FF")).Errors));
    }

    [Fact]
    public void A_stray_record_far_away_is_not_flattened_but_reported()
    {
        var hex = IntelHexReader.Parse(IntelHexWriter.Write([new HexSegment(0x0800_0000, Vectors(64)), new HexSegment(0x2000_0000, new byte[] { 1 })]));
        var result = L072ImageValidator.ValidateIntelHex(hex);
        Assert.Null(result.Bytes);
        Assert.Null(result.Crc32);
        Assert.Equal("data spans 402,653,188 bytes (0x08000000 to 0x20000000), far more than one 98,304-byte bank", Assert.Single(result.Errors));
    }
}
