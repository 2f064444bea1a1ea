using System.Buffers;
using System.IO.Pipelines;
using McpSsh.Framing;

namespace McpSsh.Relay;

/// <summary>
/// The read loop shared by both directions: it owns <c>AdvanceTo</c> and hands each complete (or oversized)
/// line to a handler. Returns when the input ends or the handler asks to stop.
/// </summary>
internal static class FramePump
{
    /// <summary>Handles one line; returns false to stop the pump (its destination is gone).</summary>
    public delegate bool FrameHandler(FrameReadStatus status, ReadOnlySequence<byte> frame);

    /// <returns>True when the input ended; false when the handler stopped the pump.</returns>
    /// <param name="onIdle">Called after the frames of each read are handled, before waiting for more input.</param>
    /// <param name="streamAboveBytes">Lines whose newline has not come by this many bytes are handed over in parts (<see cref="PartLineReader"/>).</param>
    public static async Task<bool> RunAsync(PipeReader input, long maxFrameBytes, FrameHandler handler, CancellationToken cancellationToken, Action? onIdle = null, long streamAboveBytes = long.MaxValue)
    {
        var framer = new PartLineReader(maxFrameBytes, streamAboveBytes);
        while (true)
        {
            ReadResult result = await input.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            try
            {
                FrameReadStatus status;
                while ((status = framer.TryRead(ref buffer, out ReadOnlySequence<byte> frame)) != FrameReadStatus.NeedMoreData)
                {
                    if (!handler(status, frame))
                    {
                        return false;
                    }
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    // A streamed line still open ends here too (its last part may be empty).
                    while ((status = framer.TryReadFinal(ref buffer, out ReadOnlySequence<byte> last)) != FrameReadStatus.NeedMoreData)
                    {
                        if (!handler(status, last))
                        {
                            return false;
                        }
                    }

                    return true;
                }
            }
            finally
            {
                // Consumed up to what was handled; everything else examined, so the next read waits for new bytes.
                input.AdvanceTo(buffer.Start, buffer.End);
                onIdle?.Invoke();
            }
        }
    }
}
