using System.Buffers;
using McpSsh.JsonRpc;

namespace McpSsh.Relay;

/// <summary>
/// What a channel pushes its output to (<see cref="IRemoteChannel.DeliverOutputAsync"/>): the relay, or the resilient
/// channel for each of its links. Calls come from one thread at a time, in the order the lines arrived; a frame is
/// valid only during the call.
/// </summary>
public interface IFrameReceiver
{
    /// <summary>
    /// The longest line taken whole (--max-frame-bytes); a longer one arrives as <see cref="OnOversized"/>. The
    /// channel reads it once, when delivery starts.
    /// </summary>
    long MaxFrameBytes { get; }

    /// <summary>One whole line, with what checking it found (<c>inspection.IsValid</c> false: malformed). False = stop (the destination is gone).</summary>
    bool OnFrame(ReadOnlySequence<byte> frame, in FrameInspection inspection);

    /// <summary>A line over <see cref="MaxFrameBytes"/>: only its head (up to <see cref="Framing.LineFrameReader.OversizedPeekBytes"/>), to recover its id. False = stop.</summary>
    bool OnOversized(ReadOnlySequence<byte> head);

    /// <summary>After each run of frames that arrived together (one read): what the receiver held back may go now.</summary>
    void EndOfBurst();
}
