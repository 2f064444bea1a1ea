using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace McpSsh.Relay;

/// <summary>
/// Copies a blocking stream (stdin, SSH.NET's synchronous channel streams) into a pipe on a thread of its own,
/// which also runs the pipe's reader inline: a frame is read, checked and passed on by the thread that read it,
/// with no thread-pool hop (and no thread-pool spinning) per message.
/// </summary>
public static class StreamToPipe
{
    private const int ReadSize = 64 * 1024;

    /// <param name="onEnd">Called once on the thread when the stream ends (null) or fails, before the pipe completes.</param>
    public static PipeReader Start(Stream source, string threadName, Action<Exception?> onEnd)
    {
        // No writer pause: the reader runs on this thread, so the pipe never holds more than the frame being read
        // (and pausing below the frame limit would deadlock a framer that waits for the rest of a large frame).
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
        var thread = new Thread(() => Copy(source, pipe.Writer, onEnd)) { IsBackground = true, Name = threadName };
        thread.Start();
        return pipe.Reader;
    }

    private static void Copy(Stream source, PipeWriter writer, Action<Exception?> onEnd)
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                Memory<byte> memory = writer.GetMemory(ReadSize);
                // Some streams override only the array overload; reading into the pipe's own array avoids a copy.
                int read = MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> array)
                    ? source.Read(array.Array!, array.Offset, array.Count)
                    : source.Read(memory.Span);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                // The reader runs inline here; without a pause threshold the flush then completes synchronously.
                ValueTask<FlushResult> flush = writer.FlushAsync();
                FlushResult flushed = flush.IsCompletedSuccessfully ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            error = ex;
        }

        onEnd(error);
        writer.Complete();
    }
}
