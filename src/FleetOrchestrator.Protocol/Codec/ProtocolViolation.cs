namespace FleetOrchestrator.Protocol.Codec;

/// <summary>
/// Carries a <see cref="ProtocolError"/> out of the nested field readers to the codec's single catch. It never leaves
/// the codec: callers only ever see <see cref="DecodeResult{T}"/>.
/// </summary>
internal sealed class ProtocolViolation(ProtocolError error) : Exception(error.Message)
{
    public ProtocolError Error { get; } = error;
}
