using System.Buffers;
using System.Text;
using McpSsh.Relay;

namespace McpSsh.Tests.Relay;

public class StreamFrameSinkTests
{
    private static ReadOnlySequence<byte> Frame(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void AFrameAndItsNewline_GoInOneWrite()
    {
        var log = new WriteLog();
        new StreamFrameSink(log).Write(Frame("""{"id":1}"""));
        Assert.Equal(["{\"id\":1}\n"], log.Writes);
    }

    [Fact]
    public void HeldFrames_GoTogetherAtFlush_AndAPlainWriteSendsThemFirst()
    {
        var log = new WriteLog();
        var sink = new StreamFrameSink(log);
        sink.WriteHeld(Frame("""{"id":1}"""));
        sink.WriteHeld(Frame("""{"id":2}"""));
        Assert.Empty(log.Writes);
        sink.Flush();
        Assert.Equal(["{\"id\":1}\n{\"id\":2}\n"], log.Writes);

        sink.WriteHeld(Frame("""{"id":3}"""));
        sink.Write(Frame("""{"id":4}"""));
        Assert.Equal(["{\"id\":1}\n{\"id\":2}\n", "{\"id\":3}\n{\"id\":4}\n"], log.Writes);
        sink.Flush();
        Assert.Equal(2, log.Writes.Count); // nothing was left to write
    }

    [Fact]
    public void ALargeFrame_IsWrittenAfterWhatWasHeld_WithoutGathering()
    {
        var log = new WriteLog();
        var sink = new StreamFrameSink(log);
        string large = "{\"data\":\"" + new string('x', 100_000) + "\"}";
        sink.WriteHeld(Frame("""{"id":1}"""));
        sink.WriteHeld(Frame(large));
        Assert.Equal(["{\"id\":1}\n", large, "\n"], log.Writes);
        Assert.Equal("{\"id\":1}\n" + large + "\n", Encoding.UTF8.GetString(log.ToArray()));
    }
}
