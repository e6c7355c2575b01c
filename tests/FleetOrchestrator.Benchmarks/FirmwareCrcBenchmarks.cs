using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FleetOrchestrator.Firmware.Crc;

namespace FleetOrchestrator.Benchmarks;

/// <summary>STM32 word-fed CRC and CRC-32/MPEG-2 over one bank (96 KB) and 1 MB of random data, plus the portable table path.</summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class FirmwareCrcBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new FirmwareThroughputColumn());
    }

    private byte[] _data = [];

    [Params(96 * 1024, 1024 * 1024)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Bytes];
        new Random(1).NextBytes(_data);
    }

    [Benchmark(Description = "Stm32Crc.Compute (word-fed)")]
    public uint WordFed() => Stm32Crc.Compute(_data);

    [Benchmark(Description = "Stm32Crc.ComputeMpeg2 (byte-fed)")]
    public uint ByteFed() => Stm32Crc.ComputeMpeg2(_data);

    /// <summary>The portable path non-x86 hosts (and x86 without PCLMULQDQ) take.</summary>
    [Benchmark(Description = "word-fed, slicing-by-16 only")]
    public uint WordFedTable() => Stm32CrcEngine.AppendWordsTable(Stm32Crc.InitialValue, _data);
}
