using FleetOrchestrator.Firmware.Crc;

namespace FleetOrchestrator.Firmware.Tests.Crc;

/// <summary>The PCLMULQDQ folding path and the portable slicing-by-16 path must agree bit for bit.</summary>
public class Stm32CrcEnginePathTests
{
    [Fact]
    public void Folding_and_table_paths_agree_over_lengths_alignments_and_initial_values()
    {
        var random = new Random(4242);
        var buffer = new byte[70_000];
        random.NextBytes(buffer);
        var lengths = Enumerable.Range(0, 200).Concat([255, 256, 257, 1000, 4093, 65_536, 69_990]);
        foreach (int length in lengths)
        {
            int offset = random.Next(0, 8);
            var slice = buffer.AsSpan(offset, Math.Min(length, buffer.Length - offset));
            uint init = random.Next(3) == 0 ? Stm32Crc.InitialValue : (uint)random.NextInt64(0, 1L << 32);
            Assert.Equal(Stm32CrcEngine.AppendWordsTable(init, slice), Stm32CrcEngine.AppendWords(init, slice));
            Assert.Equal(Stm32CrcEngine.AppendBytesTable(init, slice), Stm32CrcEngine.AppendBytes(init, slice));
        }
    }

    [Fact]
    public void Folding_path_is_used_on_this_machine_when_the_cpu_has_it() =>
        // Documents which path the benchmarks measured; both are correct, this only fails if detection breaks.
        Assert.Equal(System.Runtime.Intrinsics.X86.Pclmulqdq.IsSupported && System.Runtime.Intrinsics.X86.Ssse3.IsSupported, Stm32CrcFolding.IsSupported);
}
