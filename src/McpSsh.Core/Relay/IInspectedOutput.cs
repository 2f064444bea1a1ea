using System.Buffers;
using McpSsh.Framing;
using McpSsh.JsonRpc;

namespace McpSsh.Relay;

/// <summary>Handles one line from the remote with what checking it found; returns false to stop (the host is gone).</summary>
public delegate bool InspectedFrameHandler(FrameReadStatus status, ReadOnlySequence<byte> frame, in FrameInspection inspection);

/// <summary>
/// A channel that splits and checks its output itself (it has to, to route it): the relay takes its frames as
/// they are, instead of reading <see cref="IRemoteChannel.Output"/> and splitting and parsing every frame again
/// (for a 4 MiB answer that is a copy, a newline search and a JSON pass saved).
/// </summary>
public interface IInspectedOutput
{
    /// <summary>
    /// Hands every output frame to <paramref name="handler"/>, in order, from then on instead of to
    /// <see cref="IRemoteChannel.Output"/>, and calls <paramref name="endOfBurst"/> after each run of frames that
    /// arrived together (the handler may hold writes until then). Completes with true when the output ends,
    /// false when the handler stopped it.
    /// </summary>
    Task<bool> DeliverOutputAsync(InspectedFrameHandler handler, Action endOfBurst);
}
