using System.Buffers;
using System.IO.Pipelines;

namespace McpSsh.Cli.Commands;

/// <summary>
/// stdin as the relay's reader thread sees it, until <see cref="Divert"/>: from then on that thread gets EOF, and what
/// it was waiting for (a request the host sent while the client gave up) goes to the stream Divert returns instead,
/// followed by the rest of stdin. So the client can answer late requests with its final error without a second
/// reader racing the relay's on the same stdin.
/// </summary>
internal sealed class DivertibleInput(Stream inner) : Stream
{
    private readonly Stream _inner = inner;
    private readonly Lock _lock = new();
    private readonly Pipe _late = new();
    private bool _diverted;
    private bool _reading;
    private volatile bool _stdinEnded;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        lock (_lock)
        {
            if (_diverted)
            {
                return 0;
            }

            _reading = true;
        }

        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            lock (_lock)
            {
                _reading = false;
                if (_diverted)
                {
                    _stdinEnded = true;
                    _late.Writer.Complete();
                    return 0;
                }
            }

            throw;
        }

        lock (_lock)
        {
            _reading = false;
            if (!_diverted)
            {
                return read;
            }

            // Arrived after the relay ended: hand it over, with the end of input if that is what it was.
            _late.Writer.Write(buffer[..read]);
            _late.Writer.FlushAsync().AsTask().GetAwaiter().GetResult(); // no pause threshold reached for one read
            _stdinEnded = read == 0;
            _late.Writer.Complete();
            return 0;
        }
    }

    /// <summary>Ends the relay's view of stdin; the returned stream gives what it did not get, then the rest of stdin.</summary>
    public Stream Divert()
    {
        lock (_lock)
        {
            _diverted = true;
            if (!_reading)
            {
                _late.Writer.Complete();
            }
        }

        return new LateInput(this);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>The bytes handed over, then stdin (only once the relay's reader has stopped reading it).</summary>
    private sealed class LateInput(DivertibleInput owner) : Stream
    {
        private bool _handedOver;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_handedOver)
            {
                ReadResult result = await owner._late.Reader.ReadAsync(cancellationToken);
                int count = (int)Math.Min(buffer.Length, result.Buffer.Length);
                BuffersExtensions.CopyTo(result.Buffer.Slice(0, count), buffer.Span);
                owner._late.Reader.AdvanceTo(result.Buffer.GetPosition(count));
                if (count > 0)
                {
                    return count;
                }

                // Completed and empty: the relay's reader has let go of stdin (or stdin ended under it).
                _handedOver = true;
                if (owner._stdinEnded)
                {
                    return 0;
                }
            }

            return await owner._inner.ReadAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
