using System.Buffers;
using FleetOrchestrator.Mqtt.Tests.Support;
using FleetOrchestrator.Simulation.Links.InProcessMqtt;

namespace FleetOrchestrator.Simulation.Tests.Links.InProcessMqtt;

/// <summary>The byte link under MQTTnet: what each end sees when the other writes, stalls or goes away.</summary>
public sealed class InProcessPipeChannelTests
{
    private static async Task<(InProcessPipeChannel Client, InProcessPipeChannel Broker)> ConnectedPair(string name = "dev-a")
    {
        InProcessPipeChannel? brokerEnd = null;
        var client = InProcessLink.CreateClientEnd(name, (b, _) =>
        {
            brokerEnd = b;
            return Task.CompletedTask;
        });
        await client.ConnectAsync(CancellationToken.None);
        return (client, brokerEnd!);
    }

    private static async Task<byte[]> ReadExactly(InProcessPipeChannel end, int count)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await end.ReadAsync(buffer, read, count - read, CancellationToken.None).WaitAsync(Deadline.Default);
            Assert.NotEqual(0, n);
            read += n;
        }
        return buffer;
    }

    [Fact]
    public async Task Bytes_written_in_fragments_arrive_in_order_at_the_other_end_and_the_ends_name_each_other()
    {
        var (client, broker) = await ConnectedPair();

        await client.WriteAsync(new ReadOnlySequence<byte>([0x30, 0x03]), isEndOfPacket: false, CancellationToken.None);
        await client.WriteAsync(new ReadOnlySequence<byte>([1, 2, 3]), isEndOfPacket: true, CancellationToken.None);
        await broker.WriteAsync(new ReadOnlySequence<byte>([0xD0, 0x00]), isEndOfPacket: true, CancellationToken.None);

        Assert.Equal([0x30, 0x03, 1, 2, 3], await ReadExactly(broker, 5));
        Assert.Equal([0xD0, 0x00], await ReadExactly(client, 2));
        Assert.Equal("inprocess:dev-a", broker.RemoteEndPoint.ToString());
        Assert.Equal("inprocess:broker", client.RemoteEndPoint.ToString());
    }

    [Fact]
    public async Task Disposing_one_end_ends_the_other_ends_pending_read_with_zero_and_fails_its_writes()
    {
        var (client, broker) = await ConnectedPair();
        var pending = broker.ReadAsync(new byte[16], 0, 16, CancellationToken.None);
        Assert.False(pending.IsCompleted);

        client.Dispose();

        Assert.Equal(0, await pending.WaitAsync(Deadline.Default));
        await Assert.ThrowsAsync<IOException>(() => broker.WriteAsync(new ReadOnlySequence<byte>([0xD0, 0x00]), true, CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_an_end_while_its_own_read_waits_ends_that_read_instead_of_leaving_it_hanging()
    {
        var (client, broker) = await ConnectedPair();
        var pending = client.ReadAsync(new byte[16], 0, 16, CancellationToken.None);

        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(Deadline.Default));
        Assert.Equal(0, await broker.ReadAsync(new byte[16], 0, 16, CancellationToken.None).WaitAsync(Deadline.Default));
    }

    [Fact]
    public async Task A_writer_whose_reader_stalls_waits_once_the_link_holds_its_limit_and_resumes_when_the_reader_catches_up()
    {
        var (client, broker) = await ConnectedPair();
        var packet = new ReadOnlySequence<byte>(new byte[16 * 1024]);
        int packets = (int)(InProcessLink.PauseWriterThreshold / packet.Length);
        for (int i = 0; i < packets - 1; i++)
        {
            var accepted = client.WriteAsync(packet, true, CancellationToken.None);
            Assert.True(accepted.IsCompletedSuccessfully, $"packet {i} waited though the link held only {i * packet.Length} bytes");
        }

        var blocked = client.WriteAsync(packet, true, CancellationToken.None);
        Assert.False(blocked.IsCompleted, $"the link accepted {packets * packet.Length} bytes nobody read");

        await ReadExactly(broker, (int)(InProcessLink.PauseWriterThreshold - InProcessLink.ResumeWriterThreshold + 1));
        await blocked.WaitAsync(Deadline.Default);
    }

    [Fact]
    public async Task Disposing_a_writer_that_waits_on_a_stalled_reader_releases_it()
    {
        var (client, _) = await ConnectedPair();
        var packet = new ReadOnlySequence<byte>(new byte[InProcessLink.PauseWriterThreshold]);
        var blocked = client.WriteAsync(packet, true, CancellationToken.None);
        Assert.False(blocked.IsCompleted);

        client.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => blocked.WaitAsync(Deadline.Default));
    }
}
