using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FleetOrchestrator.Firmware.Hex;
using FleetOrchestrator.Firmware.Images;

namespace FleetOrchestrator.Benchmarks;

/// <summary>Parsing and validating a full 96 KB bank image from Intel HEX text (16 bytes per record, as objcopy writes).</summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class FirmwareHexBenchmarks
{
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new FirmwareThroughputColumn());
    }

    private string _hex = "";

    /// <summary>Image bytes (not HEX text length); the MB/s column is image bytes per second.</summary>
    [Params(L072Bank.Size)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var image = new byte[Bytes];
        new Random(2).NextBytes(image);
        BitConverter.TryWriteBytes(image.AsSpan(0, 4), 0x2000_5000u);
        BitConverter.TryWriteBytes(image.AsSpan(4, 4), 0x0800_00C1u);
        _hex = IntelHexWriter.Write([new HexSegment(L072Bank.LinkAddress, image)], startLinearAddress: 0x0800_00C1);
    }

    [Benchmark(Description = "IntelHexReader.Parse")]
    public IntelHexFile Parse() => IntelHexReader.Parse(_hex);

    [Benchmark(Description = "Parse + L072ImageValidator")]
    public bool ParseAndValidate() => L072ImageValidator.ValidateIntelHex(IntelHexReader.Parse(_hex)).IsValid;
}
