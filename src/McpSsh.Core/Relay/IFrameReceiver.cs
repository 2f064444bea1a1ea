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

    /// <summary>
    /// Above this many bytes a line whose newline has not come yet is pushed in parts (<see cref="OnPart"/> ...
    /// <see cref="OnLastPart"/>) as it arrives, instead of whole; <see cref="long.MaxValue"/>: never (the default).
    /// The channel reads it once, when delivery starts.
    /// </summary>
    long StreamAboveBytes => long.MaxValue;

    /// <summary>
    /// The next bytes of a streamed line; <paramref name="check"/> has seen them and every byte before
    /// (<see cref="IncrementalFrameInspector.IsDoomed"/>: it can no longer be relayed). False = stop.
    /// </summary>
    bool OnPart(ReadOnlySequence<byte> part, IncrementalFrameInspector check) => true;

    /// <summary>
    /// The last bytes of a streamed line (its newline removed) and the verdict on the whole line
    /// (<see cref="IncrementalFrameInspector.IsOversized"/>: over <see cref="MaxFrameBytes"/>). False = stop.
    /// </summary>
    bool OnLastPart(ReadOnlySequence<byte> last, IncrementalFrameInspector check, in FrameInspection verdict) => true;

    /// <summary>
    /// The output ended inside a streamed line (the link was lost): what was passed on of it must be ended so its
    /// reader rejects it. Its request is answered the way the loss of the link answers every request in flight.
    /// </summary>
    void OnLineCut()
    {
    }
}
