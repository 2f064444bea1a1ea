using System.Buffers;

namespace McpSsh.Relay;

/// <summary>A destination for whole frames; implementations add the newline and flush.</summary>
public interface IFrameSink
{
    void Write(ReadOnlySequence<byte> frame);
}
