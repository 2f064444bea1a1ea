using System.Buffers;
using System.Text;
using McpSsh.Relay;

namespace McpSsh.Tests.Relay;

public class StreamFrameSinkPartsTests
{
    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void PartsThenEnd_MakeOneLine_AfterTheFramesHeldBeforeIt()
    {
        var stream = new WriteLog();
        var sink = new StreamFrameSink(stream);
        sink.WriteHeld(Bytes("{\"id\":1}"));
        sink.WritePart(Bytes("{\"id\":2,"));
        Assert.True(sink.LineOpen);
        sink.WritePart(Bytes("\"result\":"));
        sink.EndLine(Bytes("{}}"));
        Assert.False(sink.LineOpen);
        Assert.Equal("{\"id\":1}\n{\"id\":2,\"result\":{}}\n", stream.Text);
    }

    [Fact]
    public void AnotherWriter_WaitsForTheOpenLine_AndNeverLandsInsideIt()
    {
        var stream = new WriteLog();
        var sink = new StreamFrameSink(stream);
        sink.WritePart(Bytes("{\"result\":\"aaa"));
        var other = new Thread(() => sink.Write(Bytes("{\"error\":1}"))) { IsBackground = true };
        other.Start();
        // Wait (with a deadline) until the other writer is blocked on the sink.
        Assert.True(SpinWait.SpinUntil(() => (other.ThreadState & ThreadState.WaitSleepJoin) != 0, TimeSpan.FromSeconds(10)), "the other writer never blocked");
        sink.WritePart(Bytes("bbb"));
        Assert.Equal("{\"result\":\"aaabbb", stream.Text);
        sink.EndLine(Bytes("\",\"id\":1}"));
        Assert.True(other.Join(TimeSpan.FromSeconds(10)));
        Assert.Equal("{\"result\":\"aaabbb\",\"id\":1}\n{\"error\":1}\n", stream.Text);
    }

    [Fact]
    public void AnAbandonedLine_IsEndedWithANewline_SoItsReaderRejectsIt_AndTheNextFrameIsWhole()
    {
        var stream = new WriteLog();
        var sink = new StreamFrameSink(stream);
        Assert.False(sink.AbandonLine());
        sink.WritePart(Bytes("{\"result\":\"trunc"));
        Assert.True(sink.AbandonLine());
        sink.Write(Bytes("{\"id\":3,\"error\":{}}"));
        Assert.Equal("{\"result\":\"trunc\n{\"id\":3,\"error\":{}}\n", stream.Text);
    }

    [Fact]
    public void ABrokenStream_MidLine_ClosesTheLine_SoOtherWritersAreNotStuck()
    {
        var stream = new WriteLog();
        var sink = new StreamFrameSink(stream);
        sink.WritePart(Bytes("{\"a\":"));
        stream.Broken = true;
        Assert.Throws<IOException>(() => sink.WritePart(Bytes("1")));
        Assert.False(sink.LineOpen);
        Assert.Throws<IOException>(() => sink.Write(Bytes("{}"))); // fails on the stream, does not wait forever
    }
}
