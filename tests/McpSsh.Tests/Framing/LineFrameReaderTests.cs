using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using McpSsh.Framing;

namespace McpSsh.Tests.Framing;

public class LineFrameReaderTests
{
    private static List<string> ReadAll(ReadOnlySequence<byte> buffer, long max = 1024)
    {
        var reader = new LineFrameReader(max);
        var frames = new List<string>();
        FrameReadStatus status;
        while ((status = reader.TryRead(ref buffer, out ReadOnlySequence<byte> frame)) != FrameReadStatus.NeedMoreData)
        {
            frames.Add(status == FrameReadStatus.Frame ? Encoding.UTF8.GetString(frame) : "<oversized>");
        }

        return frames;
    }

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void TryRead_TwoLines_ReturnsBothWithoutTerminators()
    {
        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], ReadAll(Bytes("{\"a\":1}\n{\"b\":2}\n")));
    }

    [Fact]
    public void TryRead_CrLfAndBlankLines_AreTolerated()
    {
        Assert.Equal(["{\"a\":1}", "{\"b\":2}"], ReadAll(Bytes("\n\r\n{\"a\":1}\r\n   \n\t\r\n{\"b\":2}\r\n\n")));
    }

    [Fact]
    public void TryRead_IncompleteLine_WaitsAndKeepsBytes()
    {
        var reader = new LineFrameReader(1024);
        ReadOnlySequence<byte> buffer = Bytes("{\"a\":1}\n{\"b\"");
        Assert.Equal(FrameReadStatus.Frame, reader.TryRead(ref buffer, out _));
        Assert.Equal(FrameReadStatus.NeedMoreData, reader.TryRead(ref buffer, out _));
        Assert.Equal("{\"b\"", Encoding.UTF8.GetString(buffer));
    }

    [Fact]
    public void TryRead_LineSplitAcrossSegments_ReturnsWholeFrame()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("{\"text\":\"héllo wörld €\"}\n{\"x\":2}\n");
        // Cut inside multi-byte characters and right before the newline.
        ReadOnlySequence<byte> buffer = TestSegment.Split(bytes, 3, 12, 13, 24, 25, 26);
        Assert.Equal(["{\"text\":\"héllo wörld €\"}", "{\"x\":2}"], ReadAll(buffer));
    }

    [Fact]
    public void TryRead_OneBytePerSegment_ReturnsWholeFrames()
    {
        Assert.Equal(["{\"a\":\"ü\"}", "{\"b\":2}"], ReadAll(TestSegment.OneBytePerSegment("{\"a\":\"ü\"}\r\n{\"b\":2}\n")));
    }

    [Fact]
    public async Task Pipe_FedOneByteAtATime_YieldsEachFrameOnceAndIntact()
    {
        var pipe = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0));
        var reader = new LineFrameReader(1 << 20);
        string payload = "{\"jsonrpc\":\"2.0\",\"id\":7,\"params\":{\"s\":\"" + new string('é', 300) + "\"}}";
        byte[] input = Encoding.UTF8.GetBytes(payload + "\n" + payload + "\r\n");
        var frames = new List<string>();

        foreach (byte b in input)
        {
            await pipe.Writer.WriteAsync(new[] { b });
            ReadResult result = await pipe.Reader.ReadAsync();
            ReadOnlySequence<byte> buffer = result.Buffer;
            while (reader.TryRead(ref buffer, out ReadOnlySequence<byte> frame) == FrameReadStatus.Frame)
            {
                frames.Add(Encoding.UTF8.GetString(frame));
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
        }

        Assert.Equal([payload, payload], frames);
    }

    [Fact]
    public void TryRead_LineOverLimit_ReportsOversizedOnceThenContinues()
    {
        string big = "{\"id\":5,\"data\":\"" + new string('x', 200) + "\"}";
        Assert.Equal(["{\"a\":1}", "<oversized>", "{\"b\":2}"], ReadAll(Bytes("{\"a\":1}\n" + big + "\n{\"b\":2}\n"), max: 100));
    }

    [Fact]
    public void TryRead_OversizedWithoutNewlineYet_DiscardsAsItArrives()
    {
        var reader = new LineFrameReader(100);
        ReadOnlySequence<byte> first = Bytes("{\"id\":9,\"data\":\"" + new string('x', 150));
        Assert.Equal(FrameReadStatus.Oversized, reader.TryRead(ref first, out ReadOnlySequence<byte> head));
        Assert.StartsWith("{\"id\":9", Encoding.UTF8.GetString(head));
        Assert.True(first.IsEmpty);

        // The rest of the long line is dropped; the next line is a normal frame.
        ReadOnlySequence<byte> second = Bytes(new string('x', 500) + "\"}\n{\"ok\":true}\n");
        Assert.Equal(FrameReadStatus.Frame, reader.TryRead(ref second, out ReadOnlySequence<byte> next));
        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString(next));
    }

    [Fact]
    public void TryRead_LineExactlyAtLimit_IsAFrame()
    {
        string line = "{\"d\":\"" + new string('x', 100 - 8) + "\"}";
        Assert.Equal(100, line.Length);
        Assert.Equal([line], ReadAll(Bytes(line + "\n"), max: 100));
    }

    [Fact]
    public void TryReadFinal_LastLineWithoutNewline_IsAFrame()
    {
        var reader = new LineFrameReader(1024);
        ReadOnlySequence<byte> buffer = Bytes("{\"a\":1}\n{\"b\":2}");
        Assert.Equal(FrameReadStatus.Frame, reader.TryRead(ref buffer, out _));
        Assert.Equal(FrameReadStatus.Frame, reader.TryReadFinal(ref buffer, out ReadOnlySequence<byte> last));
        Assert.Equal("{\"b\":2}", Encoding.UTF8.GetString(last));
        Assert.Equal(FrameReadStatus.NeedMoreData, reader.TryReadFinal(ref buffer, out _));
    }

    [Fact]
    public void TryRead_FrameArrivingInManyReads_IsFoundWhole()
    {
        // A frame arriving in many reads: the reader resumes its newline search where it stopped.
        var reader = new LineFrameReader(1 << 20);
        var text = new StringBuilder("{\"d\":\"");
        for (int i = 0; i < 50; i++)
        {
            text.Append(new string('x', 1000));
            ReadOnlySequence<byte> partial = Bytes(text.ToString());
            Assert.Equal(FrameReadStatus.NeedMoreData, reader.TryRead(ref partial, out _));
        }

        ReadOnlySequence<byte> whole = Bytes(text + "\"}\n");
        Assert.Equal(FrameReadStatus.Frame, reader.TryRead(ref whole, out ReadOnlySequence<byte> frame));
        Assert.Equal(text.Length + 2, frame.Length);
    }
}
