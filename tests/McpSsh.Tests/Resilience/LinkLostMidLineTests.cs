using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): a link declared lost while its output is inside a streamed line, where the lost link's output does
/// not end (a dead TCP link: no more bytes, no EOF; its close may block, so nothing wakes the reader). The relay's
/// host line stays open, so the lost link's error answers and everything the NEXT link sends wait behind it.
/// </summary>
public class LinkLostMidLineTests
{
    private const long Threshold = 4096;


    [Fact]
    public async Task LinkLostByAFailedWrite_WhileItsAnswerIsMidLine_TheErrorsAndTheNextLinksAnswersStillReachTheHost()
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var connector = new LinkConnector();
        var first = new PipeLink();
        var channel = new ResilientChannel(first, connector.ConnectAsync,
            new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" }, NullLogger.Instance);
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { StreamAboveBytes = Threshold, Endpoint = "host:22", DrainTimeout = TimeSpan.FromSeconds(5) },
            NullLogger.Instance, inFlight: channel.InFlight).RunAsync(CancellationToken.None); // shared, as ClientRunner does

        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}\n"));
        Assert.True(await first.SentOne.WaitAsync(LinkHarness.Wait));

        // The answer to 1 starts streaming to the host...
        await first.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"" + new string('a', 50_000));
        await host.WaitUntilAsync(h => h.Length > 40_000, "the start of the answer");

        // ...then the link dies: the next write fails, and the dead link sends nothing more, not even EOF.
        first.FailWrites = true;
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\"}\n"));
        await connector.AttemptedAsync(1);

        var second = new PipeLink();
        connector.Succeed(second);
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}\n"));
        Assert.True(await second.SentOne.WaitAsync(LinkHarness.Wait), "the new link got the next request");
        await second.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}\n");

        // The host must get its line ended, the lost link's errors for 1 and 2, and the new link's answer to 3.
        await host.WaitUntilAsync(h => h.Text.Contains("\"id\":3,\"result\"", StringComparison.Ordinal), "the new link's answer to 3");
        string[] lines = host.Lines;
        Assert.Contains(lines, l => l.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":2,\"error\"", StringComparison.Ordinal));
        Assert.Equal(-32000, JsonNode.Parse(lines.First(l => l.Contains("\"id\":1,\"error\"", StringComparison.Ordinal)))!["error"]!["code"]!.GetValue<int>());

        stdin.Writer.Complete();
        await channel.DisposeAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task LinkDeclaredDeadByKeepalive_WhileItsAnswerIsMidLine_TheErrorAndTheNextLinksAnswersStillReachTheHost()
    {
        var time = new ManualTimeProvider();
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var connector = new LinkConnector();
        var first = new PipeLink();
        var channel = new ResilientChannel(first, connector.ConnectAsync,
            new ResilienceOptions { Keepalive = TimeSpan.FromSeconds(15), KeepaliveCountMax = 1, Endpoint = "host:22" }, NullLogger.Instance, time);
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { StreamAboveBytes = Threshold, Endpoint = "host:22", DrainTimeout = TimeSpan.FromSeconds(5) },
            NullLogger.Instance, inFlight: channel.InFlight).RunAsync(CancellationToken.None); // shared, as ClientRunner does

        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}\n"));
        Assert.True(await first.SentOne.WaitAsync(LinkHarness.Wait));
        await first.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"" + new string('a', 50_000));
        await host.WaitUntilAsync(h => h.Length > 40_000, "the start of the answer");

        // The TCP link dies mid-answer: no more bytes, no EOF. Keepalive gives up after one unanswered probe.
        for (int tick = 0; tick < 2; tick++)
        {
            await time.WhenPendingAsync(1).WaitAsync(LinkHarness.Wait);
            time.Advance(TimeSpan.FromSeconds(15));
        }

        // Armed now: keepalive's next tick and the reconnect's first backoff (a second or so), on the same clock.
        await time.WhenPendingAsync(2).WaitAsync(LinkHarness.Wait);
        time.Advance(TimeSpan.FromSeconds(5));
        await connector.AttemptedAsync(1);

        var second = new PipeLink();
        connector.Succeed(second);
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}\n"));
        Assert.True(await second.SentOne.WaitAsync(LinkHarness.Wait), "the new link got the next request");
        await second.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}\n");

        await host.WaitUntilAsync(h => h.Text.Contains("\"id\":3,\"result\"", StringComparison.Ordinal), "the new link's answer to 3");
        Assert.Contains(host.Lines, l => l.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\"", StringComparison.Ordinal));
        stdin.Writer.Complete();
        await channel.DisposeAsync();
    }
}
