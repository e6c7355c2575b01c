using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FleetOrchestrator.Firmware.Versioning;
using FleetOrchestrator.L072.Device;

namespace FleetOrchestrator.Simulation.Populations;

/// <summary>
/// Gives each device its facts from a population and a seed, with exact shares: per dimension, devices are ranked by
/// SHA-256(seed, dimension, id) and the values take round(share × N) devices each in the file's order (the last value
/// takes what rounding left). Same seed, same ids: same facts.
/// </summary>
public static class PopulationAssignment
{
    public static IReadOnlyDictionary<string, DeviceFacts> Assign(Population population, IReadOnlyList<string> ids,
        long seed)
    {
        var versions = Dimension(population.StartingVersions, ids, seed, "version");
        var roms = Dimension(population.RomBootloaders, ids, seed, "rom");
        var revisions = Dimension(population.SiliconRevisions, ids, seed, "silicon");
        var regions = Dimension(population.Regions, ids, seed, Population.RegionTag);
        var cells = Dimension(population.Cells, ids, seed, Population.CellTag);
        var zones = Dimension(population.TimeZones, ids, seed, Population.TimeZoneTag);
        var defaults = L072Configuration.Default;
        var facts = new Dictionary<string, DeviceFacts>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (regions.TryGetValue(id, out var region)) tags[Population.RegionTag] = region;
            if (cells.TryGetValue(id, out var cell)) tags[Population.CellTag] = cell;
            if (zones.TryGetValue(id, out var zone)) tags[Population.TimeZoneTag] = zone;
            facts[id] = new DeviceFacts(
                roms.TryGetValue(id, out var rom) ? PopulationReader.ParseRom(rom) : defaults.RomBootloader,
                revisions.TryGetValue(id, out var rev) ? Enum.Parse<SiliconRevision>(rev) : defaults.Revision,
                tags,
                versions.TryGetValue(id, out var version) ? SemanticVersion.Parse(version) : null);
        }
        return facts;
    }

    private static Dictionary<string, string> Dimension(IReadOnlyList<PopulationShare> shares,
        IReadOnlyList<string> ids, long seed, string dimension)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (shares.Count == 0) return result;
        var ranked = ids.OrderBy(id => Rank(seed, dimension, id)).ThenBy(id => id, StringComparer.Ordinal).ToList();
        var next = 0;
        for (var i = 0; i < shares.Count; i++)
        {
            var take = i == shares.Count - 1
                ? ranked.Count - next
                : Math.Min(ranked.Count - next,
                    (int)Math.Round(shares[i].Share * ids.Count, MidpointRounding.AwayFromZero));
            for (var k = 0; k < take; k++) result[ranked[next + k]] = shares[i].Value;
            next += take;
        }
        return result;
    }

    private static ulong Rank(long seed, string dimension, string id) =>
        BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{dimension}\n{id}")));
}
