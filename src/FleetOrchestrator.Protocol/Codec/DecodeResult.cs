using System.Diagnostics.CodeAnalysis;

namespace FleetOrchestrator.Protocol.Codec;

/// <summary>Either a decoded, validated message or the <see cref="ProtocolError"/> that explains why there is none.</summary>
public readonly struct DecodeResult<T> where T : class
{
    private DecodeResult(T? value, ProtocolError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }
    public ProtocolError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Value is not null;

    public static DecodeResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);
    public static DecodeResult<T> Failure(ProtocolError error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));

    public bool TryGetValue([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out ProtocolError? error)
    {
        value = Value;
        error = Error;
        return IsSuccess;
    }

    public override string ToString() => IsSuccess ? $"ok: {Value}" : $"error: {Error!.Message}";
}
