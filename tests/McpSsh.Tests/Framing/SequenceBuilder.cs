using System.Buffers;
using System.Text;

namespace McpSsh.Tests.Framing;

/// <summary>Builds multi-segment sequences, to test code that must not assume one contiguous span.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    public TestSegment(ReadOnlyMemory<byte> memory) => Memory = memory;

    public TestSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new TestSegment(memory) { RunningIndex = RunningIndex + Memory.Length };
        Next = next;
        return next;
    }

    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        int start = 0;
        foreach (int cut in cuts.Append(bytes.Length))
        {
            pieces.Add(bytes.AsMemory(start, cut - start));
            start = cut;
        }

        var first = new TestSegment(pieces[0]);
        TestSegment last = first;
        foreach (ReadOnlyMemory<byte> piece in pieces.Skip(1))
        {
            last = last.Append(piece);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public static ReadOnlySequence<byte> OneBytePerSegment(string text) =>
        Split(Encoding.UTF8.GetBytes(text), Enumerable.Range(1, Encoding.UTF8.GetByteCount(text) - 1).ToArray());
}
