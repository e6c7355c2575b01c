using System.Net.Sockets;
using System.Text;

namespace FleetOrchestrator.Mqtt.Tests.Support;

/// <summary>
/// A bare MQTT 3.1.1 client written from the OASIS spec, byte by byte, as the MQTT stack of a cellular modem speaks it:
/// tests read the exact bytes the broker answers (CONNACK return codes, SUBACK 0x80, a PUBACK or a closed
/// connection), which a full client library would translate. QoS 0 and 1 only; one packet at a time.
/// </summary>
internal sealed class Mqtt311WireClient : IAsyncDisposable
{
    public const byte Connack = 2, Publish = 3, Puback = 4, Suback = 9, Disconnect = 14;
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private Mqtt311WireClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>One packet as read: its type (high nibble of the first byte), flags (low nibble) and body.</summary>
    public sealed record Packet(byte Type, byte Flags, byte[] Body);

    /// <summary>An application message the broker sent, decoded from a PUBLISH.</summary>
    public sealed record Message(string Topic, byte[] Payload, int Qos, ushort PacketId);

    public static async Task<Mqtt311WireClient> OpenAsync(int port)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(Deadline.Default);
        return new Mqtt311WireClient(tcp);
    }

    /// <summary>Sends CONNECT (protocol level 4); returns the CONNACK's session-present flag and return code.</summary>
    public async Task<(bool SessionPresent, byte ReturnCode)> ConnectAsync(
        string clientId, string user, string password, bool cleanSession = false,
        string? willTopic = null, byte[]? willPayload = null)
    {
        var body = new List<byte>();
        body.AddRange(Utf8("MQTT"));
        body.Add(4);
        byte flags = 0x80 | 0x40;
        if (cleanSession) flags |= 0x02;
        if (willTopic is not null) flags |= 0x04 | 0x08 | 0x20; // will, will QoS 1, will retain
        body.Add(flags);
        body.AddRange([0, 60]); // keep alive 60 s
        body.AddRange(Utf8(clientId));
        if (willTopic is not null)
        {
            body.AddRange(Utf8(willTopic));
            body.AddRange(Binary(willPayload ?? []));
        }
        body.AddRange(Utf8(user));
        body.AddRange(Binary(Encoding.UTF8.GetBytes(password)));
        await SendAsync(0x10, body);
        var connack = await ExpectAsync(Connack);
        return ((connack.Body[0] & 1) == 1, connack.Body[1]);
    }

    /// <summary>SUBSCRIBE, one filter, QoS 1; returns the SUBACK return code (0-2 granted, 0x80 failure).</summary>
    public async Task<byte> SubscribeAsync(ushort packetId, string filter)
    {
        var body = new List<byte> { (byte)(packetId >> 8), (byte)packetId };
        body.AddRange(Utf8(filter));
        body.Add(1);
        await SendAsync(0x82, body);
        var suback = await ExpectAsync(Suback);
        Assert.Equal(packetId, (ushort)(suback.Body[0] << 8 | suback.Body[1]));
        return suback.Body[2];
    }

    /// <summary>
    /// PUBLISH at QoS 1 and wait for what follows: the PUBACK for <paramref name="packetId"/>, or null when the broker
    /// closes the connection instead (the only other answer 3.1.1 allows, MQTT-3.3.5-2).
    /// </summary>
    public async Task<Packet?> PublishQos1Async(ushort packetId, string topic, byte[] payload, bool retain = false)
    {
        var body = new List<byte>();
        body.AddRange(Utf8(topic));
        body.AddRange([(byte)(packetId >> 8), (byte)packetId]);
        body.AddRange(payload);
        await SendAsync((byte)(0x32 | (retain ? 1 : 0)), body);
        var answer = await ReadPacketAsync();
        if (answer is null) return null;
        Assert.Equal(Puback, answer.Type);
        Assert.Equal(packetId, (ushort)(answer.Body[0] << 8 | answer.Body[1]));
        return answer;
    }

    /// <summary>Waits for the next PUBLISH from the broker and acknowledges it when it is QoS 1.</summary>
    public async Task<Message> ReceiveAsync()
    {
        var packet = await ExpectAsync(Publish);
        int qos = (packet.Flags >> 1) & 3;
        int topicLength = packet.Body[0] << 8 | packet.Body[1];
        string topic = Encoding.UTF8.GetString(packet.Body, 2, topicLength);
        int at = 2 + topicLength;
        ushort packetId = 0;
        if (qos > 0)
        {
            packetId = (ushort)(packet.Body[at] << 8 | packet.Body[at + 1]);
            at += 2;
            await SendAsync(0x40, [(byte)(packetId >> 8), (byte)packetId]);
        }
        return new Message(topic, packet.Body[at..], qos, packetId);
    }

    /// <summary>The next packet, or null when the broker closed the connection.</summary>
    public async Task<Packet?> ReadPacketAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline.Default);
        var first = new byte[1];
        if (await _stream.ReadAtLeastAsync(first, 1, throwOnEndOfStream: false, timeout.Token) == 0) return null;
        int length = 0, shift = 0;
        while (true)
        {
            var b = new byte[1];
            await _stream.ReadExactlyAsync(b, timeout.Token);
            length |= (b[0] & 0x7F) << shift;
            if ((b[0] & 0x80) == 0) break;
            shift += 7;
        }
        var body = new byte[length];
        await _stream.ReadExactlyAsync(body, timeout.Token);
        return new Packet((byte)(first[0] >> 4), (byte)(first[0] & 0x0F), body);
    }

    public Task DisconnectAsync() => SendAsync(0xE0, []);

    private async Task<Packet> ExpectAsync(byte type)
    {
        var packet = await ReadPacketAsync();
        Assert.True(packet is not null, $"the broker closed the connection instead of sending packet type {type}");
        Assert.True(packet.Type == type, $"expected packet type {type}, got {packet.Type}");
        return packet;
    }

    private async Task SendAsync(byte header, IReadOnlyCollection<byte> body)
    {
        var packet = new List<byte> { header };
        int length = body.Count;
        do
        {
            byte digit = (byte)(length % 128);
            length /= 128;
            packet.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);
        packet.AddRange(body);
        await _stream.WriteAsync(packet.ToArray()).AsTask().WaitAsync(Deadline.Default);
    }

    private static byte[] Utf8(string text) => Binary(Encoding.UTF8.GetBytes(text));

    private static byte[] Binary(byte[] data) => [(byte)(data.Length >> 8), (byte)data.Length, .. data];

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
