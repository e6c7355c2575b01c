using System.Globalization;

namespace FleetOrchestrator.Simulation.Attached;

/// <summary>
/// The device ids one simulator process owns: PREFIX followed by each number from <see cref="First"/> on, zero-padded
/// to at least four digits. The padding does not depend on the range, so the same number is the same id in every
/// process: processes given disjoint ranges (`--id-range 0-4999`, `--id-range 5000-9999`) never share a device.
/// </summary>
public sealed record DeviceIdRange(string Prefix, long First, int Count)
{
    public const int MaxCount = 200_000;
    private const int MinDigits = 4;

    public long Last => First + Count - 1;

    public IReadOnlyList<string> Ids() =>
        [.. Enumerable.Range(0, Count).Select(i => Id(First + i))];

    public string Id(long number) =>
        Prefix + number.ToString(CultureInfo.InvariantCulture).PadLeft(MinDigits, '0');

    public bool Overlaps(DeviceIdRange other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return other.Prefix == Prefix && other.First <= Last && First <= other.Last;
    }

    public override string ToString() => $"{Id(First)}…{Id(Last)} ({Count})";

    /// <summary>
    /// From the command line: either <paramref name="range"/> ("A-B", both ends included) or <paramref name="first"/>
    /// and <paramref name="count"/>, not both. Throws <see cref="FormatException"/> with the option's name.
    /// </summary>
    public static DeviceIdRange From(string prefix, string? range, long? first, int count, bool countGiven)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (range is not null)
        {
            if (first is not null || countGiven)
                throw new FormatException("--id-range replaces --first-id and --count: give one or the other");
            return Parse(prefix, range);
        }
        var start = first ?? 1;
        if (start < 0) throw new FormatException($"--first-id must be 0 or more, got {start}");
        if (count < 1 || count > MaxCount)
            throw new FormatException($"the device count must be from 1 to {MaxCount}, got {count}");
        return new DeviceIdRange(prefix, start, count);
    }

    /// <summary>"A-B": the numbers A to B, both included.</summary>
    public static DeviceIdRange Parse(string prefix, string range)
    {
        ArgumentNullException.ThrowIfNull(range);
        var parts = range.Split('-');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            throw new FormatException($"--id-range '{range}' is not FIRST-LAST, e.g. 0-4999");
        if (b < a) throw new FormatException($"--id-range '{range}' ends before it starts");
        if (b - a + 1 > MaxCount)
            throw new FormatException($"--id-range '{range}' holds {b - a + 1} devices; at most {MaxCount}");
        return new DeviceIdRange(prefix, a, (int)(b - a + 1));
    }
}
