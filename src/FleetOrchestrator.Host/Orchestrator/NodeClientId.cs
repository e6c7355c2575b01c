using System.Security.Cryptography;
using System.Text;

namespace FleetOrchestrator.Host.Orchestrator;

/// <summary>
/// The MQTT client id of one <c>fleet serve</c> node on an external broker: unique per node, since the broker lets a
/// second connection with an id take the first one's session over (two nodes would knock each other off in a loop),
/// and the same across the node's restarts, so it finds its session (and its queued share of the traffic) again.
/// A node is its host and its data directory: two processes never share a data directory (DataDirectoryLock).
/// </summary>
public static class NodeClientId
{
    private const int HostChars = 32;

    public static string For(string dataDirectory, string? machineName = null)
    {
        var directory = Path.GetFullPath(dataDirectory);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory)))[..10];
        var host = new string((machineName ?? Environment.MachineName)
            .Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(HostChars).ToArray());
        return $"fleet-orchestrator-{host}-{digest}";
    }
}
