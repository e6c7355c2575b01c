using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace FleetOrchestrator.Benchmarks;

/// <summary>MB/s (10^6 bytes per second) from a benchmark's "Bytes" parameter and its mean time.</summary>
public sealed class FirmwareThroughputColumn : IColumn
{
    public string Id => nameof(FirmwareThroughputColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Throughput in 10^6 bytes per second (Bytes / Mean)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var bytes = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "Bytes")?.Value;
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (bytes is not int n || stats is null) return "-";
        return (n / (stats.Mean / 1e9) / 1e6).ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
