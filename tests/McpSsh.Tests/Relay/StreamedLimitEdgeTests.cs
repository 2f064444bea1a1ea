using System.IO.Pipelines;
using System.Text;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>attack16: an answer exactly at --max-frame-bytes and ±1, with LF or CRLF: streamed must decide as whole does.</summary>
public class StreamedLimitEdgeTests
{
    private const int Max = 20_000;

    private static async Task<string> FirstHostLineAsync(long streamAbove, int length, string end)
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { MaxFrameBytes = Max, StreamAboveBytes = streamAbove, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance).RunAsync(CancellationToken.None);
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}\n"));
        await channel.NextSentAsync();

        string head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"t\":\"";
        string line = head + new string('a', length - head.Length - 3) + "\"}}";
        await channel.RemoteWritesAsync(line[..6000]); // spans reads: streamed when streaming is on
        await host.WaitUntilAsync(h => streamAbove == long.MaxValue || h.Length > 0, "the first part");
        await channel.RemoteWritesAsync(line[6000..] + end);
        await host.WaitUntilAsync(h => h.Text.Contains("\"id\":1,\"result\"", StringComparison.Ordinal) && h.Text.EndsWith('\n') || h.Text.Contains("\"error\"", StringComparison.Ordinal), "an answer");
        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        string first = host.Lines.Last();
        return first.Contains("\"error\"", StringComparison.Ordinal) ? "error" : first == line ? "answer" : $"other ({first.Length} bytes)";
    }

    [Theory]
    [InlineData(Max - 1, "\n")]
    [InlineData(Max, "\n")]
    [InlineData(Max + 1, "\n")]
    [InlineData(Max - 1, "\r\n")]
    [InlineData(Max, "\r\n")]
    [InlineData(Max + 1, "\r\n")]
    public async Task AtTheLimit_StreamedDecidesAsWholeDoes(int length, string end)
    {
        string whole = await FirstHostLineAsync(long.MaxValue, length, end);
        string streamed = await FirstHostLineAsync(4096, length, end);
        Assert.Equal(whole, streamed);
    }
}
