using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>
/// attack16 findings 1 and 6: what of a streamed line goes on before its end is known. The top-level object's closing
/// brace never does (so an abandoned line is never a whole JSON text, even for a parser that ignores trailing bytes),
/// and a line that is only whitespace is skipped in both directions.
/// </summary>
public class StreamedLineHoldTests
{
    private const string Frame = "  {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"t\":\"}\",\"n\":{\"a\":[1,{}]}}}  \t ";

    [Fact]
    public void AtEverySplit_TheClosingBraceWaitsForTheLineEnd_AndTheLineIsRebuiltWhole()
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Frame);
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            var check = new IncrementalFrameInspector(1 << 20);
            var hold = new StreamedLineHold();
            var sent = new StringBuilder();
            check.Feed(bytes.AsSpan(0, cut));
            sent.Append(Encoding.UTF8.GetString(hold.Pass(new ReadOnlySequence<byte>(bytes, 0, cut), check)));
            check.Feed(bytes.AsSpan(cut));
            sent.Append(Encoding.UTF8.GetString(hold.Pass(new ReadOnlySequence<byte>(bytes, cut, bytes.Length - cut), check)));

            // Before the line's end: everything but the top-level closing brace (leading and trailing whitespace aside).
            Assert.Equal(Frame.Trim()[..^1], sent.ToString());
            Assert.False(hold.IsBlankLine(ReadOnlySequence<byte>.Empty));
            Assert.True(check.Complete().IsValid, $"cut at {cut}");
            sent.Append(Encoding.UTF8.GetString(hold.Last(ReadOnlySequence<byte>.Empty)));
            Assert.Equal(Frame.Trim(), sent.ToString());
        }
    }

    [Fact]
    public async Task ALongBlankLineFromTheHost_IsNotSentToTheFarEnd_AsAShortOneIsNot()
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var channel = new InMemoryChannel(canHalfClose: true) { TakesParts = true };
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { StreamAboveBytes = 4096, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

        const string request = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(new string(' ', 300_000)));
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("\n" + request + "\n"));
        string first = await channel.NextSentAsync();
        Assert.True(first == request, $"the far end got first a line of {first.Length} bytes: {(first.Length > 80 ? first[..80] : first)}");
        Assert.Empty(host.Lines); // no error for a blank line

        await stdin.Writer.CompleteAsync();
        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
