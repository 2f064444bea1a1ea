using System.Buffers;
using McpSsh.Framing;
using McpSsh.JsonRpc;

namespace McpSsh.Cli.Commands;

/// <summary>A line from the host that expects an answer; <see cref="Id"/> is its raw id, or null for a null id.</summary>
internal readonly record struct RequestLine(string? Id);

/// <summary>
/// Reads stdin line by line (the relay's framer: CRLF, blank lines, a last line without LF, a size limit) and hands
/// back only the lines that expect an answer: requests, and lines that are not one valid JSON-RPC message (with
/// the id recovered when there is one, as the relay answers them). Notifications and responses are skipped.
/// </summary>
internal sealed class RequestLines(Stream stdin)
{
    /// <summary>The longest line read whole; past it, the id is recovered from its first bytes.</summary>
    private const long MaxLineBytes = 1024 * 1024;

    private readonly LineFrameReader _reader = new(MaxLineBytes);
    private byte[] _pending = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>The next line that expects an answer; null at EOF, a broken stdin, or when <paramref name="wait"/> passes first.</summary>
    public async Task<RequestLine?> NextAsync(TimeSpan wait, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(wait);
        while (true)
        {
            if (Take() is { } line)
            {
                return line;
            }

            if (_ended)
            {
                return null;
            }

            MakeRoom();
            try
            {
                // Console streams ignore cancellation tokens: race the read against the deadline instead. A read left
                // pending here ends with the process, which exits right after the answers.
                int read = await stdin.ReadAsync(_pending.AsMemory(_end)).AsTask().WaitAsync(deadline.Token);
                _end += read;
                _ended = read == 0;
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                return null;
            }
        }
    }

    /// <summary>The next answerable line already buffered, consuming what it skips.</summary>
    private RequestLine? Take()
    {
        var buffer = new ReadOnlySequence<byte>(_pending, _start, _end - _start);
        try
        {
            while (true)
            {
                FrameReadStatus status = _ended ? _reader.TryReadFinal(ref buffer, out ReadOnlySequence<byte> frame) : _reader.TryRead(ref buffer, out frame);
                if (status == FrameReadStatus.NeedMoreData)
                {
                    return null;
                }

                if (status == FrameReadStatus.Oversized)
                {
                    return new RequestLine(FrameInspector.TryRecoverId(frame));
                }

                FrameInspection inspection = FrameInspector.Inspect(frame);
                if (!inspection.IsValid || inspection.Info.Kind is FrameKind.Request or FrameKind.Other)
                {
                    return new RequestLine(inspection.Info.Id);
                }
            }
        }
        finally
        {
            _start = _end - (int)buffer.Length;
        }
    }

    /// <summary>Keeps the unconsumed bytes at the front; grows only when one line fills the buffer.</summary>
    private void MakeRoom()
    {
        if (_end < _pending.Length)
        {
            return;
        }

        byte[] next = _end - _start > _pending.Length / 2 ? new byte[_pending.Length * 2] : _pending;
        Buffer.BlockCopy(_pending, _start, next, 0, _end - _start);
        (_pending, _end, _start) = (next, _end - _start, 0);
    }
}
