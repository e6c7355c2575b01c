using System.Collections.Concurrent;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using FleetOrchestrator.Firmware.Crc;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Agent;
using FleetOrchestrator.L072.Device;
using FleetOrchestrator.L072.Images;
using FleetOrchestrator.L072.Memory;

namespace FleetOrchestrator.Benchmarks;

/// <summary>
/// Memory per modelled device: N devices all hold image A in bank 1 (shared pages), then every one stages image B
/// into bank 2 through the update agent (768 erases + 1,536 half-page writes each). Retained bytes are measured
/// with GC.GetTotalMemory(forceFullCollection: true) around the fleet; runs in-process, once (a fleet is a big,
/// one-shot workload), and shows bytes/device after A and after B as extra columns.
/// dotnet run -c Release --project tests/FleetOrchestrator.Benchmarks -- --filter '*L072FleetMemory*'
/// </summary>
[Config(typeof(Config))]
public class L072FleetMemoryBenchmarks
{
    private static readonly ConcurrentDictionary<int, (double AfterA, double AfterB, long PoolPages)> Results = new();

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring)
                .WithLaunchCount(1).WithWarmupCount(0).WithIterationCount(1).WithInvocationCount(1).WithUnrollFactor(1));
            AddColumn(new ResultColumn("Bytes/device (A)", r => r.AfterA.ToString("N0", CultureInfo.InvariantCulture)));
            AddColumn(new ResultColumn("Bytes/device (A+B)", r => r.AfterB.ToString("N0", CultureInfo.InvariantCulture)));
            AddColumn(new ResultColumn("Pool pages", r => r.PoolPages.ToString("N0", CultureInfo.InvariantCulture)));
        }
    }

    private byte[] _imageB = [];
    private uint _crcB;
    private PagePool _pool = new();
    private UpdateAgent[] _agents = [];
    private long _baseline;
    private double _afterA;

    [Params(10_000, 100_000)]
    public int Devices { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new PagePool();
        var imageA = SyntheticImage.Create(new SemanticVersion(1, 0, 0));
        _imageB = SyntheticImage.Create(new SemanticVersion(1, 1, 0));
        _crcB = Stm32Crc.Compute(_imageB);
        var contentA = _pool.InternContent(imageA, L072Part.Xz192K.PagesPerBank);
        _baseline = GC.GetTotalMemory(forceFullCollection: true);
        _agents = new UpdateAgent[Devices];
        for (int i = 0; i < Devices; i++)
        {
            var device = new L072Device(L072Configuration.Default, _pool);
            device.LoadPhysicalBank(1, contentA);
            var agent = new UpdateAgent(device);
            agent.PowerOn();
            _agents[i] = agent;
        }
        _afterA = (GC.GetTotalMemory(forceFullCollection: true) - _baseline) / (double)Devices;
    }

    [Benchmark(Description = "every device stages image B (96 KB) into bank 2")]
    public void StageImageBOnEveryDevice()
    {
        foreach (var agent in _agents)
        {
            agent.BeginStaging(_imageB.Length, _crcB);
            for (int o = 0; o < _imageB.Length; o += 1024) agent.WriteChunk(o, _imageB.AsSpan(o, 1024));
            if (agent.FinishStaging().Outcome != AgentOutcome.Done) throw new InvalidOperationException("staging failed");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        double afterB = (GC.GetTotalMemory(forceFullCollection: true) - _baseline) / (double)Devices;
        Results[Devices] = (_afterA, afterB, _pool.Count);
        Console.WriteLine($"// L072 fleet of {Devices:N0}: {_afterA:N0} B/device holding A, {afterB:N0} B/device holding A+B, pool {_pool.Count:N0} pages ({_pool.ContentBytes / 1024.0 / 1024.0:N1} MB)");
        GC.KeepAlive(_agents);
        _agents = [];
    }

    private sealed class ResultColumn(string name, Func<(double AfterA, double AfterB, long PoolPages), string> format) : IColumn
    {
        public string Id => nameof(L072FleetMemoryBenchmarks) + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Retained managed bytes per device (GC.GetTotalMemory after a full collection), or distinct pages in the shared pool";
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
            benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == nameof(Devices))?.Value is int n && Results.TryGetValue(n, out var r)
                ? format(r) : "-";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
    }
}
