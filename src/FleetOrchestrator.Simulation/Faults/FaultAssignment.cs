using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace FleetOrchestrator.Simulation.Faults;

/// <summary>
/// Decides, from a seed alone, which devices carry which fault: for each device fault, the devices are ranked by a
/// hash of (seed, fault, device id) and the first round(share × count) get it. The same seed and ids always give the
/// same assignment, the count per fault is exact, and faults are independent of each other (a device may carry several).
/// </summary>
public static class FaultAssignment
{
    public static IReadOnlyDictionary<string, DeviceFaults> Assign(
        FaultPlan plan, IReadOnlyList<string> deviceIds, long seed, FaultSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(deviceIds);
        settings ??= FaultSettings.Default;
        var result = deviceIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, _ => DeviceFaults.None, StringComparer.Ordinal);
        foreach (var (kind, share) in plan.Shares.OrderBy(s => s.Key))
        {
            int count = (int)Math.Round(share * result.Count, MidpointRounding.AwayFromZero);
            foreach (var id in result.Keys.OrderBy(id => Draw(seed, kind, id)).ThenBy(id => id, StringComparer.Ordinal).Take(count).ToList())
            {
                var f = result[id];
                result[id] = kind switch
                {
                    FaultKind.CrashLoop => f with { CrashLoop = true },
                    FaultKind.CorruptTransfer => f with { CorruptTransfer = true },
                    FaultKind.OfflineDuringSwap => f with { OfflineDuringSwap = true },
                    FaultKind.DuplicateMessages => f with { DuplicateMessages = true },
                    FaultKind.ReorderedMessages => f with { ReorderedMessages = true },
                    FaultKind.PowerCut => f with { PowerCutAtOperation = 1 + (long)(Draw(seed, kind, id + "/op") % (ulong)Math.Max(1, settings.PowerCutOperationRange)) },
                    _ => f,
                };
            }
        }
        return result;
    }

    /// <summary>A stable 64-bit draw (SHA-256, not string.GetHashCode, which is randomised per process).</summary>
    internal static ulong Draw(long seed, FaultKind kind, string deviceId)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{(int)kind}\n{deviceId}"), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }
}
