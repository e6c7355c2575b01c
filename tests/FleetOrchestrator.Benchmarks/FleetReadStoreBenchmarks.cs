using BenchmarkDotNet.Attributes;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.Orchestration.Devices.Events;
using FleetOrchestrator.Orchestration.Feed;
using FleetOrchestrator.Orchestration.Persistence;
using FleetOrchestrator.Orchestration.ReadModel;
using FleetOrchestrator.Orchestration.ReadModel.Storage;
using FleetOrchestrator.Protocol.Messages;
using Microsoft.Data.Sqlite;

namespace FleetOrchestrator.Benchmarks;

/// <summary>
/// The fleet read model at 100,000 devices on SQLite (WAL, as the orchestrator uses it): what a restart costs (open
/// the store, read the stored offset; the projection then resumes after it) and what the API's queries cost. The
/// setup projects 200,000 device events (presence and state of each device; 10 % already on 1.1.0) through the same
/// ApplyAsync the projector uses, in batches of 1,000.
/// </summary>
[MemoryDiagnoser]
public class FleetReadStoreBenchmarks
{
    private const int Devices = 100_000;
    private static readonly SemanticVersion Old = new(1, 0, 0);
    private static readonly SemanticVersion New = new(1, 1, 0);
    private string _folder = "";
    private FleetPersistenceOptions _database = null!;
    private FleetReadStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("fleet-read-store-bench-").FullName;
        _database = FleetPersistenceOptions.Sqlite(Path.Combine(_folder, "fleet.db"));
        FleetDataOptions.PrepareDatabase(_database);
        _store = new FleetReadStore(_database);
        var at = DateTimeOffset.UtcNow;
        long offset = 0;
        var batch = new List<DeviceFeedEvent>(1000);
        for (var i = 0; i < Devices; i++)
        {
            var id = $"dev-{i:D6}";
            batch.Add(new DeviceFeedEvent(id, 1, ++offset, new DevicePresenceObserved(at, true)));
            batch.Add(new DeviceFeedEvent(id, 2, ++offset, new DeviceStateObserved(at, 1, Report(i % 10 == 0 ? New : Old))));
            if (batch.Count < 1000) continue;
            _store.ApplyAsync(batch).GetAwaiter().GetResult();
            batch.Clear();
        }
        if (batch.Count > 0) _store.ApplyAsync(batch).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>What an orchestrator restart costs the read model before it follows the journal again.</summary>
    [Benchmark]
    public Task<ProjectionPosition> StartAndReadOffset() => new FleetReadStore(_database).PositionAsync();

    /// <summary>`GET /api/devices?version=1.1.0&amp;limit=100`: 10,000 matches, first page, with the total.</summary>
    [Benchmark]
    public Task<FleetQueryResult> QueryByVersionFirstPage() =>
        _store.QueryAsync(new FleetFilter { RunningVersion = New, Take = 100 });

    /// <summary>A page deep in the unfiltered fleet (offset 90,000).</summary>
    [Benchmark]
    public Task<FleetQueryResult> QueryDeepPage() => _store.QueryAsync(new FleetFilter { Skip = 90_000, Take = 100 });

    [Benchmark]
    public Task<FleetDeviceRow?> GetOneDevice() => _store.GetAsync("dev-054321");

    /// <summary>Counts by version, phase and outcome over the whole fleet.</summary>
    [Benchmark]
    public Task<FleetSummary> Summary() => _store.SummaryAsync();

    private static DeviceStateReport Report(SemanticVersion running) => new(
        running, BankId.Bank1, Bfb2: false, ImageState.Committed, ResetCause.PowerOn,
        new HardwareInfo("stm32l072cz", 192, "4.1", "Z", 1, new SemanticVersion(2, 0, 0)), 0x11112222, null);
}
