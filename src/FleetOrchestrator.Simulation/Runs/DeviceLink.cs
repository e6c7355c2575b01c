namespace FleetOrchestrator.Simulation.Runs;

/// <summary>
/// How the simulated devices reach the orchestrator they share a process with. Either way they speak the same bytes
/// (MQTT packets, HTTP/1.1 requests) through the same broker and server code, with their own credentials.
/// </summary>
public enum DeviceLink
{
    /// <summary>
    /// In-memory duplex pipes instead of sockets, to the embedded broker and to the HTTP server: no file descriptor per
    /// device (two per device over loopback TCP, and the hard limit here is 20,000) and no kernel TCP stack, which took
    /// about a quarter of the CPU in profiles. With an external broker MQTT still goes over TCP (the broker is another
    /// process); only HTTP stays in-process.
    /// </summary>
    InProcess,

    /// <summary>Loopback TCP for MQTT and HTTP, as devices on a network would connect.</summary>
    Tcp,
}
