using System.Buffers;
using System.Collections.Concurrent;
using McpSsh.Relay;

namespace McpSsh.Resilience;

/// <summary>
/// Writes frames to one link on a thread of its own, in order. A far end that stops reading blocks only this
/// thread (SSH.NET blocks a write until the peer's window opens, and a stuck write cannot be cancelled), so
/// the host's frames keep being read, keepalive keeps counting, and a new link can take over.
/// </summary>
internal sealed class LinkWriter
{
    private static readonly byte[] s_endOfInput = [];
    private readonly BlockingCollection<byte[]> _frames = [];
    private readonly IRemoteChannel _link;
    private readonly Action<string> _failed;

    public LinkWriter(IRemoteChannel link, Action<string> failed)
    {
        _link = link;
        _failed = failed;
        new Thread(Run) { IsBackground = true, Name = "mcp-ssh link writer" }.Start();
    }

    public void Enqueue(ReadOnlySequence<byte> frame)
    {
        try
        {
            _frames.Add(frame.ToArray());
        }
        catch (InvalidOperationException)
        {
            // Stopped: the link is gone and what was sent on it has been answered already.
        }
    }

    /// <summary>EOF to the link once everything queued before it is written (exec half-close).</summary>
    public void CompleteInput()
    {
        try
        {
            _frames.Add(s_endOfInput);
            _frames.CompleteAdding();
        }
        catch (InvalidOperationException)
        {
            // Stopped already.
        }
    }

    /// <summary>No more frames; a write in progress on a dead link is abandoned with its thread.</summary>
    public void Stop() => _frames.CompleteAdding();

    private void Run()
    {
        foreach (byte[] frame in _frames.GetConsumingEnumerable())
        {
            try
            {
                if (ReferenceEquals(frame, s_endOfInput))
                {
                    _link.CompleteInput();
                    return;
                }

                _link.SendFrame(new ReadOnlySequence<byte>(frame));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _frames.CompleteAdding();
                _failed($"sending failed ({ex.Message})");
                return;
            }
        }
    }
}
