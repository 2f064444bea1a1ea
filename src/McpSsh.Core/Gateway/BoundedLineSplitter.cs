using System.Text;

namespace McpSsh.Gateway;

/// <summary>
/// Splits a byte stream (a backend's stderr) into lines of at most <see cref="MaxLineBytes"/> bytes. A longer
/// line keeps its first bytes, is reported with " … [cut N bytes]" once its newline (or the end) arrives, and
/// what lies between is dropped as it comes: memory stays bounded whatever the backend writes.
/// </summary>
public sealed class BoundedLineSplitter(Action<string> onLine, int maxLineBytes = BoundedLineSplitter.DefaultMaxLineBytes)
{
    public const int DefaultMaxLineBytes = 8 * 1024;

    private readonly byte[] _line = new byte[maxLineBytes];
    private int _length;
    private long _dropped;

    public int MaxLineBytes => _line.Length;

    public void Feed(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> part = newline < 0 ? data : data[..newline];
            int room = _line.Length - _length;
            int kept = Math.Min(room, part.Length);
            part[..kept].CopyTo(_line.AsSpan(_length));
            _length += kept;
            _dropped += part.Length - kept;
            if (newline < 0)
            {
                return;
            }

            Emit();
            data = data[(newline + 1)..];
        }
    }

    /// <summary>The stream ended: a last line without its newline is reported too.</summary>
    public void Complete()
    {
        if (_length > 0 || _dropped > 0)
        {
            Emit();
        }
    }

    private void Emit()
    {
        int length = _length;
        if (length > 0 && _line[length - 1] == '\r')
        {
            length--;
        }

        if (_dropped > 0)
        {
            // Do not end the kept part inside a UTF-8 sequence (it would decode to a replacement character).
            while (length > 0 && (_line[length - 1] & 0xC0) == 0x80)
            {
                length--;
            }

            if (length > 0 && _line[length - 1] >= 0xC0)
            {
                length--;
            }
        }

        string line = Encoding.UTF8.GetString(_line, 0, length);
        long cut = _dropped + (_length - length);
        onLine(_dropped > 0 ? $"{line} … [cut {cut} bytes]" : line);
        _length = 0;
        _dropped = 0;
    }
}
