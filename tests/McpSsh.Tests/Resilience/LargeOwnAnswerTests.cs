using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.Relay;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): "None of [the streamed lines] is ours: the relay's own traffic (keepalive, replay answers) is far below
/// the streaming threshold" (ResilientChannel.Streamed.cs). The threshold may be set as low as 1024 bytes
/// (MCP_SSH_STREAM_ABOVE_BYTES), and an initialize result with instructions is easily larger: the replayed
/// initialize's answer, under a private id, is then streamed to the HOST instead of to the replay waiting for it.
/// The host gets a second initialize result under an id it never sent, and the replay times out: the session never
/// reconnects.
/// </summary>
public class LargeOwnAnswerTests
{
    [Fact]
    public async Task AReplayedInitializesAnswerAboveTheThreshold_StaysWithTheRelay_AndTheSessionReconnects()
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var connector = new LinkConnector();
        var first = new InMemoryChannel(canHalfClose: false);
        var channel = new ResilientChannel(first, connector.ConnectAsync,
            new ResilienceOptions { Keepalive = TimeSpan.Zero, ReplayTimeout = TimeSpan.FromSeconds(30), Endpoint = "host:22" }, NullLogger.Instance);
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { StreamAboveBytes = 1024, Endpoint = "host:22", DrainTimeout = TimeSpan.FromSeconds(5) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(
            "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"h\",\"version\":\"1\"}}}\n"));
        Assert.Contains("initialize", await first.NextSentAsync(), StringComparison.Ordinal);
        await first.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"s\",\"version\":\"1\"}}}\n");
        await host.WaitUntilAsync(h => h.Lines.Length >= 1, "the initialize result");
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"));
        await first.NextSentAsync();

        first.RemoteEnds(); // the link drops; the next one gets the session replayed
        await connector.AttemptedAsync(1);
        var second = new PipeLink();
        connector.Succeed(second);

        JsonNode replayed = JsonNode.Parse(await second.NextSentAsync())!;
        Assert.Equal("initialize", replayed["method"]!.GetValue<string>());
        string privateId = replayed["id"]!.ToJsonString();
        string instructions = new('i', 3000); // a server with a page of instructions: 3 KB
        string answer = "{\"jsonrpc\":\"2.0\",\"id\":" + privateId + ",\"result\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"s\",\"version\":\"1\"},\"instructions\":\"" + instructions + "\"}}\n";
        // As a socket delivers it: in two reads (the first past the threshold), as any answer longer than a packet comes.
        await second.RemoteWritesAsync(answer[..2000]);
        Assert.True(await second.ReadsDone.WaitAsync(TimeSpan.FromSeconds(10)));
        await second.RemoteWritesAsync(answer[2000..]);

        // The replay goes on (notifications/initialized), then the host's next call goes out on the new link.
        string next;
        try
        {
            next = await second.NextSentAsync();
        }
        catch (TimeoutException)
        {
            string seen = host.Text;
            Assert.Fail("the replay never went on past initialize (its answer did not reach it); the host got: "
                + string.Join(" || ", seen.Split('\n').Select(l => l.Length > 150 ? l[..120] + "..." : l)));
            throw;
        }

        Assert.Contains("notifications/initialized", next, StringComparison.Ordinal);
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}\n"));
        Assert.Contains("\"id\":5", await second.NextSentAsync(), StringComparison.Ordinal);
        await second.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{}}\n");
        await host.WaitUntilAsync(h => h.Text.Contains("\"id\":5,\"result\"", StringComparison.Ordinal), "the answer to 5");
        Assert.DoesNotContain(host.Lines, l => l.Contains(privateId, StringComparison.Ordinal));

        stdin.Writer.Complete();
        await channel.DisposeAsync();
    }
}
