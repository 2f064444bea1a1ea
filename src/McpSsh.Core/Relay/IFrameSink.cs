using System.Buffers;

namespace McpSsh.Relay;

/// <summary>A destination for whole frames; implementations add the newline and flush.</summary>
public interface IFrameSink
{
    void Write(ReadOnlySequence<byte> frame);

    /// <summary>
    /// Like <see cref="Write"/>, but the frame may wait for <see cref="Flush"/>: answers that arrived together
    /// (one SSH packet) then reach the host in one write instead of a syscall and a wake-up of its reader each.
    /// A later <see cref="Write"/> writes what waits first.
    /// </summary>
    void WriteHeld(ReadOnlySequence<byte> frame) => Write(frame);

    /// <summary>Writes what <see cref="WriteHeld"/> held back.</summary>
    void Flush()
    {
    }

    /// <summary>True when the sink takes a line in parts (<see cref="WritePart"/>, <see cref="EndLine"/>, <see cref="AbandonLine"/>).</summary>
    bool CanWriteParts => false;

    /// <summary>The next bytes of a streamed line; other writers wait until it ends.</summary>
    void WritePart(ReadOnlySequence<byte> part) => throw new NotSupportedException("this sink takes whole frames only");

    /// <summary>The last bytes of the streamed line, and its newline.</summary>
    void EndLine(ReadOnlySequence<byte> last) => Write(last);

    /// <summary>Ends the open line as it is (a bare newline), so its reader rejects it; false when none was open.</summary>
    bool AbandonLine() => false;
}
