using System.Collections.Immutable;
using System.Globalization;

namespace FleetOrchestrator.Simulation.Faults;

/// <summary>
/// Which faults a run injects: a share of the fleet per device fault (0..1) and the run-level flags. Parsed from the
/// CLI syntax <c>crash-loop=0.05,corrupt-transfer=0.1,offline-during-swap=0.05,duplicate-messages=0.2,orchestrator-restart</c>.
/// Which devices get which fault is decided by <see cref="FaultAssignment"/> from a seed.
/// </summary>
public sealed record FaultPlan(ImmutableDictionary<FaultKind, double> Shares, ImmutableHashSet<FaultKind> Flags)
{
    public static FaultPlan None { get; } = new(ImmutableDictionary<FaultKind, double>.Empty, []);

    public double ShareOf(FaultKind kind) => Shares.TryGetValue(kind, out var share) ? share : 0;

    public bool HasFlag(FaultKind kind) => Flags.Contains(kind);

    /// <summary>
    /// Parses the CLI syntax. Empty or blank text is <see cref="None"/>. Throws <see cref="FaultPlanFormatException"/>
    /// naming the entry and what is wrong: an unknown fault (listing the known ones), a share that is not a number in
    /// 0..1, a share given to a flag or missing for a device fault, a fault named twice, an empty entry.
    /// </summary>
    public static FaultPlan Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        var shares = ImmutableDictionary.CreateBuilder<FaultKind, double>();
        var flags = ImmutableHashSet.CreateBuilder<FaultKind>();
        var entries = text.Split(',');
        for (int i = 0; i < entries.Length; i++)
        {
            string entry = entries[i].Trim();
            string where = $"fault plan entry {i + 1}";
            if (entry.Length == 0)
                throw new FaultPlanFormatException($"{where} is empty (entries are separated by single commas)");
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            string name = (eq < 0 ? entry : entry[..eq]).Trim();
            string? value = eq < 0 ? null : entry[(eq + 1)..].Trim();
            if (!FaultNames.TryParse(name, out var kind))
                throw new FaultPlanFormatException($"{where} '{entry}': unknown fault '{name}' (known: {string.Join(", ", FaultNames.Known)})");
            if (shares.ContainsKey(kind) || flags.Contains(kind))
                throw new FaultPlanFormatException($"{where} '{entry}': fault '{name}' is given more than once");
            if (FaultNames.IsFlag(kind))
            {
                if (value is not null)
                    throw new FaultPlanFormatException($"{where} '{entry}': '{name}' is a run-level flag and takes no share (write just '{name}')");
                flags.Add(kind);
                continue;
            }
            if (value is null)
                throw new FaultPlanFormatException($"{where} '{entry}': '{name}' needs the share of devices it hits, e.g. '{name}=0.05'");
            if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double share)
                || double.IsNaN(share) || share < 0 || share > 1)
                throw new FaultPlanFormatException($"{where} '{entry}': the share of '{name}' must be a number from 0 to 1 (e.g. 0.05 for 5 %), got '{value}'");
            shares[kind] = share;
        }
        return new FaultPlan(shares.ToImmutable(), flags.ToImmutable());
    }

    /// <summary>The CLI syntax again (shares in known-name order, then flags).</summary>
    public override string ToString() =>
        string.Join(",", FaultNames.Known
            .Select(n => { FaultNames.TryParse(n, out var k); return (n, k); })
            .Where(x => Shares.ContainsKey(x.k) || Flags.Contains(x.k))
            .Select(x => Flags.Contains(x.k) ? x.n : string.Create(CultureInfo.InvariantCulture, $"{x.n}={Shares[x.k]}")));
}
