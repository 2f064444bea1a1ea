using System.Buffers;
using System.Text;
using McpSsh.Framing;

namespace McpSsh.Tests.Framing;

public class PartLineReaderTests
{
    /// <summary>What the reader handed over, as a pipe reader's loop would see it, and the most it kept buffered.</summary>
    private sealed record Result(List<string> Lines, List<int> PartsPerLine, long MostBuffered);

    /// <summary>Feeds <paramref name="input"/> in reads of the given sizes, consuming what the reader hands over.</summary>
    private static Result Run(byte[] input, Func<int> readSize, long threshold, long max = 1 << 30)
    {
        var reader = new PartLineReader(max, threshold);
        var lines = new List<string>();
        var partsPerLine = new List<int>();
        var open = new List<byte>();
        int parts = 0;
        byte[] unconsumed = [];
        long most = 0;
        int at = 0;
        while (true)
        {
            int take = Math.Min(readSize(), input.Length - at);
            bool final = at + take == input.Length;
            unconsumed = [.. unconsumed, .. input.AsSpan(at, take)];
            at += take;
            most = Math.Max(most, unconsumed.Length);
            var buffer = new ReadOnlySequence<byte>(unconsumed);
            FrameReadStatus status;
            while ((status = reader.TryRead(ref buffer, out ReadOnlySequence<byte> frame)) != FrameReadStatus.NeedMoreData)
            {
                Take(status, frame);
            }

            if (final)
            {
                while ((status = reader.TryReadFinal(ref buffer, out ReadOnlySequence<byte> last)) != FrameReadStatus.NeedMoreData)
                {
                    Take(status, last);
                }

                return new Result(lines, partsPerLine, most);
            }

            unconsumed = buffer.ToArray();
        }

        void Take(FrameReadStatus status, ReadOnlySequence<byte> frame)
        {
            switch (status)
            {
                case FrameReadStatus.Frame:
                    lines.Add(Encoding.UTF8.GetString(frame));
                    partsPerLine.Add(0);
                    break;
                case FrameReadStatus.Part:
                    Assert.False(frame.IsEmpty);
                    open.AddRange(frame.ToArray());
                    parts++;
                    break;
                case FrameReadStatus.LastPart:
                    open.AddRange(frame.ToArray());
                    lines.Add(Encoding.UTF8.GetString([.. open]));
                    partsPerLine.Add(parts + 1);
                    open.Clear();
                    parts = 0;
                    break;
                default:
                    lines.Add("<oversized>");
                    partsPerLine.Add(0);
                    break;
            }
        }
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void ShortLines_AreWholeFrames_AsWithLineFrameReader()
    {
        Result result = Run(Bytes("{\"a\":1}\r\n\n{\"b\":2}\n"), () => 3, threshold: 100);
        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], result.Lines);
        Assert.Equal([0, 0], result.PartsPerLine);
    }

    [Fact]
    public void ALongLine_ComesInParts_AndTheBufferStaysNearTheThreshold()
    {
        string big = "{\"text\":\"" + new string('x', 100_000) + "\"}";
        Result result = Run(Bytes("{\"a\":1}\n" + big + "\r\n{\"b\":2}\n"), () => 1000, threshold: 4096);
        Assert.Equal(["{\"a\":1}", big, "{\"b\":2}"], result.Lines);
        Assert.True(result.PartsPerLine[1] > 20, $"the long line came in {result.PartsPerLine[1]} parts");
        Assert.True(result.MostBuffered <= 4096 + 1000, $"the buffer held {result.MostBuffered} bytes");
    }

    [Fact]
    public void CrLf_SplitBetweenReads_IsStillALineEnd_AndACrInsideIsKept()
    {
        string big = new string('y', 5000);
        byte[] input = Bytes(big + "\r" + big + "\r\n{\"b\":2}\n");
        for (int size = 1; size <= 7; size++)
        {
            int s = size * 997;
            Result result = Run(input, () => s, threshold: 1000);
            Assert.Equal([big + "\r" + big, "{\"b\":2}"], result.Lines);
        }
    }

    [Fact]
    public void RandomReads_ReassembleEveryLine()
    {
        var random = new Random(5);
        for (int round = 0; round < 200; round++)
        {
            var expected = new List<string>();
            var text = new StringBuilder();
            for (int i = 0; i < random.Next(1, 8); i++)
            {
                string line = "{\"t\":\"" + new string((char)('a' + i), random.Next(0, 3000)) + "é😀\"}";
                expected.Add(line);
                text.Append(line).Append(random.Next(3) == 0 ? "\r\n" : "\n");
            }

            Result result = Run(Bytes(text.ToString()), () => random.Next(1, 700), threshold: random.Next(1, 2000));
            Assert.Equal(expected, result.Lines);
        }
    }

    [Fact]
    public void InputEndingInsideAStreamedLine_EndsItWithALastPart()
    {
        string big = new string('z', 3000);
        Result result = Run(Bytes("{\"a\":1}\n" + big), () => 500, threshold: 1000);
        Assert.Equal(["{\"a\":1}", big], result.Lines);
    }

    [Fact]
    public void ThresholdAtOrAboveTheLimit_KeepsTheOversizedBehaviour()
    {
        Result result = Run(Bytes(new string('o', 3000) + "\n{\"b\":2}\n"), () => 500, threshold: 5000, max: 1000);
        Assert.Equal(["<oversized>", "{\"b\":2}"], result.Lines);
    }
}
