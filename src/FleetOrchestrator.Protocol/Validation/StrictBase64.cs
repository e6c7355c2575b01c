namespace FleetOrchestrator.Protocol.Validation;

/// <summary>
/// RFC 4648 §4 base64 with padding and nothing else. The BCL decoders skip whitespace, which would let two different
/// strings carry the same signature; a signed artefact gets exactly one spelling.
/// </summary>
public static class StrictBase64
{
    public static bool TryGetDecodedLength(ReadOnlySpan<char> text, out int decodedLength)
    {
        decodedLength = 0;
        if (text.Length % 4 != 0) return false;
        int padding = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '=')
            {
                // '=' only in the last two positions, and nothing but '=' after the first one.
                if (i < text.Length - 2) return false;
                padding++;
                continue;
            }
            if (padding > 0) return false;
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/')) return false;
        }
        decodedLength = text.Length / 4 * 3 - padding;
        return true;
    }
}
