using System.IO.Pipelines;

namespace FleetOrchestrator.Simulation.Links.InProcessMqtt;

/// <summary>
/// Builds the two ends of one in-process MQTT link: two pipes crossed over, like the two directions of a socket pair,
/// but without a file descriptor or a kernel copy.
/// </summary>
internal static class InProcessLink
{
    /// <summary>
    /// Bytes one direction may hold before its writer waits for the reader. Bounded so a side that stops reading (a
    /// stuck device, a broker under load) slows the writer instead of growing memory; large enough (like a loopback
    /// socket's buffer) that MQTT's own flow control (receive maximum, pending-message limits) acts first. Memory is
    /// taken from the shared pool only while bytes are in flight: an idle link holds no buffer.
    /// </summary>
    public const long PauseWriterThreshold = 256 * 1024;

    public const long ResumeWriterThreshold = PauseWriterThreshold / 2;

    // Continuations run on the thread pool (the default schedulers): running the peer's packet handling inline on the
    // writer's thread would chain device and broker code on one stack and could re-enter MQTTnet's locks.
    private static readonly PipeOptions Options = new(
        pauseWriterThreshold: PauseWriterThreshold,
        resumeWriterThreshold: ResumeWriterThreshold,
        useSynchronizationContext: false);

    /// <param name="clientName">Names the client end in the broker's logs ("inprocess:{clientName}").</param>
    /// <param name="connect">Runs when the client end connects; receives the broker's end.</param>
    public static InProcessPipeChannel CreateClientEnd(string clientName, Func<InProcessPipeChannel, CancellationToken, Task> connect)
    {
        var toBroker = new Pipe(Options);
        var toClient = new Pipe(Options);
        var client = new InProcessEndPoint(clientName);
        var brokerEnd = new InProcessPipeChannel(toBroker.Reader, toClient.Writer, InProcessEndPoint.Broker, client, connect: null);
        return new InProcessPipeChannel(toClient.Reader, toBroker.Writer, client, InProcessEndPoint.Broker, ct => connect(brokerEnd, ct));
    }
}
