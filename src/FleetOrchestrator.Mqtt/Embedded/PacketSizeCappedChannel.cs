using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;

namespace FleetOrchestrator.Mqtt.Embedded;

/// <summary>
/// A broker-side channel that follows the MQTT framing of what it reads and ends the connection as soon as a fixed
/// header announces a packet larger than allowed: <see cref="MaxFirstPacketBytes"/> for the first packet (CONNECT,
/// read before the credentials are checked), <see cref="MaxPacketBytes"/> after it. MQTTnet's adapter allocates the
/// whole body as soon as it has the remaining length and has no server-side limit, so the check must sit below it:
/// the bytes that complete an oversized length are never handed up; the read reports a closed connection instead.
/// </summary>
internal sealed class PacketSizeCappedChannel : IMqttChannel
{
    private readonly IMqttChannel _inner;
    private readonly Action<EndPoint, long, int>? _onRefused;
    private int _packetsStarted;
    // Framing state: bytes of the current packet's body still to pass, or the remaining-length varint being read.
    private long _bodyLeft;
    private bool _inLength;
    private long _length;
    private int _lengthBytes;
    private int _multiplier;
    private bool _refused;

    /// <param name="onRefused">Told the remote end point, the announced packet size and the cap that refused
    /// it.</param>
    public PacketSizeCappedChannel(
        IMqttChannel inner, int maxFirstPacketBytes, int maxPacketBytes, Action<EndPoint, long, int>? onRefused = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFirstPacketBytes, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketBytes, 2);
        _inner = inner;
        MaxFirstPacketBytes = maxFirstPacketBytes;
        MaxPacketBytes = maxPacketBytes;
        _onRefused = onRefused;
    }

    public int MaxFirstPacketBytes { get; }
    public int MaxPacketBytes { get; }

    public X509Certificate2 ClientCertificate => _inner.ClientCertificate;
    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;
    public EndPoint LocalEndPoint => _inner.LocalEndPoint;
    public bool IsSecureConnection => _inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => _inner.ConnectAsync(cancellationToken);
    public Task DisconnectAsync(CancellationToken cancellationToken) => _inner.DisconnectAsync(cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, isEndOfPacket, cancellationToken);

    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_refused) return 0;
        int read = await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        if (read > 0 && !Admit(buffer.AsSpan(offset, read)))
        {
            _refused = true;
            // Stop the peer sending the rest: the adapter sees a closed connection and the server drops it.
            try
            {
                await _inner.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already gone: nothing to close.
            }
            return 0;
        }
        return read;
    }

    // Walks the framing over the bytes just read; false when a header announced a packet over its cap.
    private bool Admit(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            if (_bodyLeft > 0)
            {
                long skip = Math.Min(_bodyLeft, bytes.Length - i);
                _bodyLeft -= skip;
                i += (int)skip;
                continue;
            }
            byte b = bytes[i++];
            if (!_inLength)
            {
                // The first byte of a packet (type and flags); the remaining length follows.
                _packetsStarted++;
                _inLength = true;
                _length = 0;
                _lengthBytes = 0;
                _multiplier = 1;
                continue;
            }
            _length += (b & 0x7F) * (long)_multiplier;
            _multiplier *= 128;
            _lengthBytes++;
            if ((b & 0x80) != 0 && _lengthBytes < 4) continue;
            _inLength = false;
            long total = 1 + _lengthBytes + _length;
            int cap = _packetsStarted == 1 ? MaxFirstPacketBytes : MaxPacketBytes;
            if (total > cap || (b & 0x80) != 0)
            {
                _onRefused?.Invoke(_inner.RemoteEndPoint, total, cap);
                return false;
            }
            _bodyLeft = _length;
        }
        return true;
    }

    public void Dispose() => _inner.Dispose();
}
