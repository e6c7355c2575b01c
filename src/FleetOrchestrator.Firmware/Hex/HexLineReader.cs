namespace FleetOrchestrator.Firmware.Hex;

/// <summary>
/// Splits text into lines (LF or CRLF) through a block buffer, refusing a line longer than
/// <see cref="IntelHexReader.MaxLineLength"/> as soon as it gets that long, so a huge line-less input
/// costs no more memory than a valid file.
/// </summary>
internal sealed class HexLineReader(TextReader reader)
{
    private readonly char[] _block = new char[16 * 1024];
    private readonly char[] _line = new char[IntelHexReader.MaxLineLength];
    private int _position, _available;

    /// <summary>The line last read by <see cref="ReadLine"/>, without its line end.</summary>
    public ReadOnlySpan<char> Line => _line.AsSpan(0, _lineLength);

    private int _lineLength;

    /// <summary>Reads the next line; false at the end of the input.</summary>
    public bool ReadLine(int lineNumber)
    {
        _lineLength = 0;
        bool any = false;
        while (true)
        {
            if (_position == _available)
            {
                _available = reader.Read(_block, 0, _block.Length);
                _position = 0;
                if (_available <= 0)
                {
                    _available = 0;
                    break;
                }
            }
            any = true;
            var chunk = _block.AsSpan(_position, _available - _position);
            int newline = chunk.IndexOf('\n');
            var part = newline < 0 ? chunk : chunk[..newline];
            if (_lineLength + part.Length > _line.Length)
            {
                throw new IntelHexFormatException(lineNumber, $"line is longer than {IntelHexReader.MaxLineLength} characters; the longest valid record has 521");
            }
            part.CopyTo(_line.AsSpan(_lineLength));
            _lineLength += part.Length;
            if (newline >= 0)
            {
                _position += newline + 1;
                break;
            }
            _position = _available;
        }
        if (_lineLength > 0 && _line[_lineLength - 1] == '\r') _lineLength--;
        return any;
    }
}
