using BenchmarkDotNet.Attributes;
using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.L072.Memory;
using FleetOrchestrator.L072.Sweep;

namespace FleetOrchestrator.Benchmarks;

/// <summary>
/// The model's hot paths: one device staging a 96 KB image (768 page erases + 1,536 half-page writes, CRC unit
/// check), and a whole power-cut sweep of a 4 KB image pair.
/// dotnet run -c Release --project tests/FleetOrchestrator.Benchmarks -- --filter '*L072Flash*' --job short
/// </summary>
[MemoryDiagnoser]
public class L072FlashBenchmarks
{
    private readonly PagePool _pool = new();
    private BankContent _contentA = null!;
    private byte[] _imageA = [];
    private byte[] _imageB = [];
    private byte[] _smallA = [];
    private byte[] _smallB = [];
    private uint _crcB;

    [GlobalSetup]
    public void Setup()
    {
        _imageA = SyntheticImage.Create(new SemanticVersion(1, 0, 0));
        _imageB = SyntheticImage.Create(new SemanticVersion(1, 1, 0));
        _smallA = SyntheticImage.Create(new SemanticVersion(1, 0, 0), size: 4096);
        _smallB = SyntheticImage.Create(new SemanticVersion(1, 1, 0), size: 4096);
        _crcB = Stm32Crc.Compute(_imageB);
        _contentA = _pool.InternContent(_imageA, L072Part.Xz192K.PagesPerBank);
    }

    [Benchmark(Description = "stage a 96 KB image on one device (2,304 flash ops + CRC)")]
    public AgentOutcome StageFullBank()
    {
        var device = new L072Device(L072Configuration.Default, _pool);
        device.LoadPhysicalBank(1, _contentA);
        var agent = new UpdateAgent(device);
        agent.PowerOn();
        agent.BeginStaging(_imageB.Length, _crcB);
        for (int o = 0; o < _imageB.Length; o += 1024) agent.WriteChunk(o, _imageB.AsSpan(o, 1024));
        return agent.FinishStaging().Outcome;
    }

    [Benchmark(Description = "power-cut sweep, 4 KB images (every cut, 2 threads)")]
    public long SweepSmallImages() => PowerCutSweep.Run(_smallA, _smallB, SweepOptions.Default with { Pool = _pool }).Completed;
}
