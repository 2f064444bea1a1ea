using System.Buffers;
using System.Text;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static McpSsh.Tests.Resilience.LinkHarness;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): keepalive while the HOST is slow inside a streamed line. The link is fine and the far end has read
/// every byte sent; the probes cannot go (nothing goes inside the line), so they are never sent, yet each counts
/// as unanswered: after Keepalive x (KeepaliveCountMax + 1) of host silence mid-line the link is declared dead
/// ("no answer to N keepalive probe(s)") and the host's request is failed, for a probe the far end never saw.
/// </summary>
public class KeepaliveMidHostLineTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task AHostPausingMidLine_DoesNotGetAHealthyLinkDeclaredDead_ByProbesThatWereNeverSent()
    {
        var first = new InMemoryChannel(canHalfClose: false) { TakesParts = true };
        var connector = new LinkConnector();
        var options = new ResilienceOptions { Keepalive = TimeSpan.FromSeconds(15), KeepaliveCountMax = 2, Endpoint = "host:22" };
        await using var channel = Delivering(new ResilientChannel(first, connector.ConnectAsync, options, NullLogger.Instance, _time));

        // The host starts a large request; every byte of it is taken by the far end at once.
        channel.SendPart(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"d\":\"" + new string('a', 300_000))));
        Assert.True(await first.WriteStarted.WaitAsync(Wait));

        // The host pauses (its own writer is slow); keepalive ticks four times.
        for (int tick = 0; tick < 4; tick++)
        {
            await _time.WhenPendingAsync(1).WaitAsync(Wait);
            _time.Advance(TimeSpan.FromSeconds(15));
        }

        // The host's line ends: it must reach the far end whole, on the link that was fine all along.
        await _time.WhenPendingAsync(1).WaitAsync(Wait);
        channel.EndPart(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("\"}}")), new McpSsh.JsonRpc.FrameInfo(McpSsh.JsonRpc.FrameKind.Request, "7", "tools/call", null));
        Assert.False(HasLine(channel.Output), "the host got an error for a healthy link: " + (HasLine(channel.Output) ? await NextLineAsync(channel.Output) : ""));
        string sent = await first.NextSentAsync();
        Assert.EndsWith("aaa\"}}", sent, StringComparison.Ordinal);
    }
}
