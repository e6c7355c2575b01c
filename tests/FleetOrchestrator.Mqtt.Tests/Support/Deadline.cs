namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>How long a test waits for something that should happen within milliseconds on loopback.</summary>
internal static class Deadline
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);
}
