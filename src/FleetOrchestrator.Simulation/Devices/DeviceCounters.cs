namespace FleetOrchestrator.Simulation.Devices;

/// <summary>What one simulated device did on its link, for the run report. Updated by the device, read by anyone.</summary>
public sealed class DeviceCounters
{
    private long _published, _dropped, _lostOffline, _commands, _chunkRetries, _resets, _connects, _downloads;

    /// <summary>MQTT publishes that reached the broker (duplicates counted).</summary>
    public long Published => Interlocked.Read(ref _published);
    /// <summary>Uplink packets of publishes the link profile lost on purpose (each was sent again after a retransmission timeout).</summary>
    public long PublishesDropped => Interlocked.Read(ref _dropped);
    /// <summary>Publishes lost because the link was down at that moment.</summary>
    public long PublishesLostOffline => Interlocked.Read(ref _lostOffline);
    public long CommandsReceived => Interlocked.Read(ref _commands);
    /// <summary>Download chunks fetched again (lost on the link, HTTP errors).</summary>
    public long ChunkRetries => Interlocked.Read(ref _chunkRetries);
    /// <summary>Resets the link saw (swap, rollback, power cut): each one is a disconnect and a reconnect.</summary>
    public long Reboots => Interlocked.Read(ref _resets);
    public long Connects => Interlocked.Read(ref _connects);
    /// <summary>Download commands the device accepted and began fetching for (a repeat answered from memory is not
    /// counted; one restarted after a reset is).</summary>
    public long DownloadsAccepted => Interlocked.Read(ref _downloads);

    internal void CountPublished() => Interlocked.Increment(ref _published);
    internal void CountDropped() => Interlocked.Increment(ref _dropped);
    internal void CountLostOffline() => Interlocked.Increment(ref _lostOffline);
    internal void CountCommand() => Interlocked.Increment(ref _commands);
    internal void CountChunkRetry() => Interlocked.Increment(ref _chunkRetries);
    internal void CountReboot() => Interlocked.Increment(ref _resets);
    internal void CountConnect() => Interlocked.Increment(ref _connects);
    internal void CountDownloadAccepted() => Interlocked.Increment(ref _downloads);
}
