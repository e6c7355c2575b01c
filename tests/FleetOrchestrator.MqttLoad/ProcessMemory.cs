using System.Diagnostics;

namespace FleetOrchestrator.MqttLoad;

/// <summary>Resident set and managed heap of this process, after a full collection so the numbers compare.</summary>
internal readonly record struct ProcessMemory(long WorkingSetBytes, long ManagedHeapBytes)
{
    public static ProcessMemory Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return new ProcessMemory(self.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
    }

    public static string PerConnection(ProcessMemory before, ProcessMemory after, int connections) =>
        $"RSS +{(after.WorkingSetBytes - before.WorkingSetBytes) / 1024.0 / connections:F1} KB/conn, " +
        $"managed +{(after.ManagedHeapBytes - before.ManagedHeapBytes) / 1024.0 / connections:F1} KB/conn " +
        $"(RSS {after.WorkingSetBytes / 1048576.0:F0} MB, managed {after.ManagedHeapBytes / 1048576.0:F0} MB)";
}
