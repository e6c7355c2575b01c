namespace FleetOrchestrator.Protocol.Validation;

/// <summary>
/// The character rules for every identifier that travels on the wire. Device ids become MQTT topic levels, client ids and
/// usernames, so they exclude everything MQTT or an ACL pattern treats specially ('/', '+', '#', '$', whitespace).
/// One rule, used by topic building, topic parsing and the codec, so an id that passes one passes all.
/// </summary>
public static class WireIdentifiers
{
    public const int MaxDeviceIdLength = 64;
    public const int MaxCommandIdLength = 64;
    public const int MaxKeyIdLength = 64;
    public const int MaxReasonLength = 32;

    /// <summary>Device id: <c>[A-Za-z0-9_-]{1,64}</c>.</summary>
    public static bool IsValidDeviceId(ReadOnlySpan<char> id) => DescribeDeviceIdProblem(id) is null;

    /// <summary>Null when <paramref name="id"/> is a valid device id, otherwise why not.</summary>
    public static string? DescribeDeviceIdProblem(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty) return "device id is empty";
        if (id.Length > MaxDeviceIdLength) return $"device id is {id.Length} characters long (at most {MaxDeviceIdLength})";
        int bad = IndexOfNot(id, allowDotColon: false);
        return bad < 0 ? null : $"device id contains '{Printable(id[bad])}' at position {bad} (allowed: A-Z a-z 0-9 _ -)";
    }

    /// <summary>Command id: <c>[A-Za-z0-9_.:-]{1,64}</c>; the orchestrator may build ids like <c>rollout-7:download:2</c>.</summary>
    public static bool IsValidCommandId(ReadOnlySpan<char> id) => DescribeCommandIdProblem(id) is null;

    /// <summary>Null when <paramref name="id"/> is a valid command id, otherwise why not.</summary>
    public static string? DescribeCommandIdProblem(ReadOnlySpan<char> id) => DescribeTokenProblem(id, MaxCommandIdLength);

    /// <summary>Signing key id: same charset as a command id.</summary>
    public static string? DescribeKeyIdProblem(ReadOnlySpan<char> id) => DescribeTokenProblem(id, MaxKeyIdLength);

    /// <summary>Reason token: kebab-case <c>[a-z0-9-]{1,32}</c>, e.g. <c>boot-guard</c>. See <see cref="Messages.ErrorReasons"/>.</summary>
    public static string? DescribeReasonProblem(ReadOnlySpan<char> reason)
    {
        if (reason.IsEmpty) return "is empty";
        if (reason.Length > MaxReasonLength) return $"is {reason.Length} characters long (at most {MaxReasonLength})";
        for (int i = 0; i < reason.Length; i++)
        {
            char c = reason[i];
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                return $"contains '{Printable(c)}' at position {i} (a reason is a kebab-case token: a-z 0-9 -)";
        }
        return null;
    }

    /// <summary>
    /// Hardware target (state report's <c>hardware.target</c>, the manifest's <c>hardwareTarget</c>): lower-case
    /// <c>[a-z0-9_-]{1,32}</c>, e.g. <c>stm32l072cz</c>. Null when valid, otherwise why not.
    /// </summary>
    public static string? DescribeHardwareTargetProblem(ReadOnlySpan<char> target)
    {
        if (target.IsEmpty || target.Length > WireLimits.MaxHardwareTargetLength)
            return $"must be 1..{WireLimits.MaxHardwareTargetLength} characters, got {target.Length}";
        foreach (char c in target)
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
                return $"must be a lower-case hardware target like 'stm32l072cz' (found '{Printable(c)}')";
        return null;
    }

    private static string? DescribeTokenProblem(ReadOnlySpan<char> id, int max)
    {
        if (id.IsEmpty) return "is empty";
        if (id.Length > max) return $"is {id.Length} characters long (at most {max})";
        int bad = IndexOfNot(id, allowDotColon: true);
        return bad < 0 ? null : $"contains '{Printable(id[bad])}' at position {bad} (allowed: A-Z a-z 0-9 _ - . :)";
    }

    private static int IndexOfNot(ReadOnlySpan<char> id, bool allowDotColon)
    {
        for (int i = 0; i < id.Length; i++)
        {
            char c = id[i];
            bool ok = char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-' || (allowDotColon && (c == '.' || c == ':'));
            if (!ok) return i;
        }
        return -1;
    }

    // Error texts end up in logs: never echo a control character verbatim.
    internal static string Printable(char c) => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:X4}" : c.ToString();
}
