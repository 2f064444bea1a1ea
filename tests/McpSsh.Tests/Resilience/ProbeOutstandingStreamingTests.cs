using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.Relay;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): a link line that starts while a keepalive probe is outstanding is held whole (ResilientChannel.HeldLine.cs),
/// and "outstanding" ends only when a Response under a private id arrives (TakeOwnFrame). A far end that echoes (cat,
/// the far end of scripts/bench; the code names it) sends the probe back as a Request: _probeOutstanding is never
/// cleared, the echo resets the unanswered count (Heard), so the link stays up and, from the first idle keepalive
/// period on, every large line from it is held whole in memory (up to --max-frame-bytes) instead of streamed.
/// </summary>
public class ProbeOutstandingStreamingTests
{
    private readonly ManualTimeProvider _time = new();

    [Theory]
    [InlineData(false)] // the far end answers the probe as an MCP server does: the next large answer streams
    [InlineData(true)] // the far end echoes it back (cat): the next large answer must still stream
    public async Task AfterAKeepaliveProbe_ALargeAnswerStillStreams(bool farEndEchoes)
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var first = new InMemoryChannel(canHalfClose: false);
        var connector = new LinkConnector();
        var channel = new ResilientChannel(first, connector.ConnectAsync,
            new ResilienceOptions { Keepalive = TimeSpan.FromSeconds(15), KeepaliveCountMax = 3, Endpoint = "host:22" }, NullLogger.Instance, _time);
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { StreamAboveBytes = 4096, Endpoint = "host:22", DrainTimeout = TimeSpan.FromSeconds(5) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"big\"}}\n"));
        Assert.Contains("\"id\":1", await first.NextSentAsync(), StringComparison.Ordinal);

        // The link idles one keepalive period: a probe goes out.
        await _time.WhenPendingAsync(1).WaitAsync(LinkHarness.Wait);
        _time.Advance(TimeSpan.FromSeconds(15));
        string probe = await first.NextSentAsync();
        string probeId = JsonNode.Parse(probe)!["id"]!.ToJsonString();
        await first.RemoteWritesAsync(farEndEchoes ? probe + "\n" : "{\"jsonrpc\":\"2.0\",\"id\":" + probeId + ",\"result\":{}}\n");

        // The answer to 1 starts: 300 KB of it, no newline yet. It must reach the host as it arrives.
        await first.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + new string('a', 300_000));
        await host.WaitUntilAsync(h => h.Length >= 200_000,
            $"the first 300 KB of a streamed answer (far end {(farEndEchoes ? "echoed" : "answered")} the keepalive probe {probeId}); it is held whole instead");

        await first.RemoteWritesAsync("\"}]}}\n");
        await host.WaitUntilAsync(h => h.Lines.Length >= 1, "the end of the answer");
        Assert.EndsWith("aaa\"}]}}", host.Lines[0], StringComparison.Ordinal);
        stdin.Writer.Complete();
        await channel.DisposeAsync();
        await run.WaitAsync(LinkHarness.Wait);
    }
}
