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
}
