using System.Buffers;
using System.IO.Pipelines;
using McpSsh.JsonRpc;

namespace McpSsh.Relay;

/// <summary>
/// The far end of the relay: a byte stream to a remote stdio MCP server (an SSH shell or exec channel).
/// The relay only needs these few operations, which keeps it testable with in-memory pipes.
/// </summary>
public interface IRemoteChannel : IAsyncDisposable
{
    /// <summary>Where the remote writes to: bytes arrive here and the reader completes when the remote side ends.</summary>
    PipeReader Output { get; }

    /// <summary>True when the channel can signal end of input and keep reading (exec); a shell cannot.</summary>
    bool CanHalfClose { get; }

    /// <summary>
    /// Sends one frame followed by a newline, flushed. <paramref name="info"/> is what the relay found when it
    /// checked the frame, so a channel that needs it does not parse the frame again. Throws when the channel is gone.
    /// </summary>
    void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info);

    /// <summary>Tells the remote there is no more input (EOF), where <see cref="CanHalfClose"/>.</summary>
    void CompleteInput();

    /// <summary>Why the remote side ended, once <see cref="Output"/> has completed (e.g. "remote command exited with status 1").</summary>
    string CloseReason { get; }
}
