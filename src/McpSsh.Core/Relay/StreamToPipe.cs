using System.IO.Pipelines;
using System.Runtime.InteropServices;

namespace McpSsh.Ssh;

/// <summary>
/// Copies a blocking SSH.NET stream into a pipe on a dedicated thread. SSH.NET's channel streams are
/// synchronous; a thread of our own keeps their blocking reads off the thread pool.
/// </summary>
internal static class StreamToPipe
{
    private const int ReadSize = 64 * 1024;

    /// <param name="onEnd">Called once on the thread when the stream ends (null) or fails.</param>
    public static PipeReader Start(Stream source, string threadName, Action<Exception?> onEnd)
    {
        // No writer pause: SSH.NET has no back-pressure toward the server anyway (its window is int.MaxValue),
        // and pausing below the frame limit would deadlock a framer that waits for the rest of a large frame.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
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
                // SSH.NET's streams override only the array overload; reading into the pipe's own array avoids a copy.
                int read = MemoryMarshal.TryGetArray(memory, out ArraySegment<byte> array)
                    ? source.Read(array.Array!, array.Offset, array.Count)
                    : source.Read(memory.Span);
                if (read == 0)
                {
                    break;
                }

                writer.Advance(read);
                // Without a pause threshold the flush completes synchronously; only block if it ever does not.
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

        writer.Complete();
        onEnd(error);
    }
}
