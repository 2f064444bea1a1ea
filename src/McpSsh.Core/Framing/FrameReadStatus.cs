namespace McpSsh.Framing;

/// <summary>What <see cref="LineFrameReader.TryRead"/> found in the buffer.</summary>
public enum FrameReadStatus
{
    /// <summary>No complete frame yet: keep the buffer and wait for more bytes.</summary>
    NeedMoreData,

    /// <summary>A complete frame (without its line terminator).</summary>
    Frame,

    /// <summary>
    /// A line longer than the limit. The returned slice is only its first bytes (enough to recover the id);
    /// the rest of the line is discarded as it arrives.
    /// </summary>
    Oversized,

    /// <summary>
    /// The next bytes of a line longer than the streaming threshold (<see cref="PartLineReader"/> only); more follow.
    /// The slice is consumed: pass it on before the pipe is advanced.
    /// </summary>
    Part,

    /// <summary>The last bytes of a streamed line (possibly none), its newline and any CR before it removed.</summary>
    LastPart,
}
