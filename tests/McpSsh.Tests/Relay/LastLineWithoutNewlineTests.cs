using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): a server that writes its last answer without a newline and exits. RawChannelOutput.End promises "what is
/// left without a newline is one last line" (LineFrameReader.TryReadFinal). Relayed whole (short line, or
/// streaming off) that answer is the output's last line and reaches the host once (since 60371a0). Streamed, the
/// relay calls it a line cut by the link's end: the host gets the very same complete answer (ended by the bare
/// newline) AND a -32000 error for the same id, and the session counts the request as failed.
/// </summary>
public class LastLineWithoutNewlineTests
{
    [Theory]
    [InlineData(long.MaxValue)] // whole (the line was dropped before 60371a0)
    [InlineData(4096L)] // streamed (got the answer AND a -32000 for its id before the fix)
    public async Task ALastAnswerWithoutNewline_ThenEof_ReachesTheHostOnce_AsForAShortLine(long streamAbove)
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { StreamAboveBytes = streamAbove, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}\n"));
        Assert.Contains("\"id\":1", await channel.NextSentAsync(), StringComparison.Ordinal);

        string answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"" + new string('a', 50_000) + "\"}}";
        await channel.RemoteWritesAsync(answer); // no newline: the server exits right after
        channel.RemoteEnds();

        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        string[] lines = host.Lines;
        int answers = lines.Count(l =>
        {
            try
            {
                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.GetProperty("id").GetInt32() == 1;
            }
            catch (JsonException)
            {
                return false;
            }
        });
        Assert.True(answers == 1, $"answers for id 1: {answers}; the host got: {string.Join(" || ", lines.Select(l => l.Length > 120 ? l[..60] + "..." + l[^60..] : l))}");
        Assert.True(lines.Length > 0 && lines[0] == answer, $"first line is not the answer; the host got: {string.Join(" || ", lines.Select(l => l.Length > 120 ? l[..60] + "..." + l[^60..] : l))}");
        Assert.Equal(0, result.FailedRequests);
    }

    [Fact]
    public async Task ATinyLastAnswerWithoutNewline_ThenEof_IsNotDropped()
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) }, NullLogger.Instance).RunAsync(CancellationToken.None);

        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n"));
        Assert.Contains("\"id\":1", await channel.NextSentAsync(), StringComparison.Ordinal);
        await channel.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"); // printf without \n, then exit
        channel.RemoteEnds();

        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", host.Lines.FirstOrDefault());
        Assert.Equal(0, result.FailedRequests);
    }
}
