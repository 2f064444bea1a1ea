using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using McpSsh.Resilience;
using Microsoft.Extensions.Logging.Abstractions;
using static McpSsh.Tests.Resilience.LinkHarness;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): the in-flight table and a link declared lost while its output still flows (a failed write; keepalive on
/// a server that was only busy). OnLinkLost answers every request sent on the link with -32000; an answer the old
/// link delivers before the next link replaces it still passes Heard(generation) (it checks the generation only,
/// not that the link was declared lost) and goes to the host too: two answers for one id.
/// </summary>
public class LostLinkLateAnswerTests
{
    [Fact]
    public async Task AnAnswerFromALinkAlreadyDeclaredLost_DoesNotReachTheHostAfterItsRequestWasFailed()
    {
        var first = new PipeLink();
        var connector = new LinkConnector();
        var channel = new ResilientChannel(first, connector.ConnectAsync, new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" }, NullLogger.Instance);
        Delivering(channel);
        Assert.True(await first.ReadsAsked.WaitAsync(Wait), "the old link's reader waits in its first read");
        channel.InFlight.Add("1", longLived: false); // as the relay does before sending
        Send(channel, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}");
        Assert.True(await first.SentOne.WaitAsync(Wait));

        first.FailWrites = true;
        channel.InFlight.Add("2", longLived: false);
        Send(channel, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}"); // the write fails: the link is lost
        await connector.AttemptedAsync(1);

        var errors = new List<JsonNode>();
        for (int i = 0; i < 2; i++)
        {
            errors.Add(JsonNode.Parse(await NextLineAsync(channel.Output))!);
        }

        Assert.Contains(errors, e => e["id"]!.GetValue<int>() == 1 && e["error"]!["code"]!.GetValue<int>() == -32000);

        // The old link's reader still delivers: the server's answer to 1 comes now (nothing of a lost link goes on).
        await first.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"late\":true}}\n");
        Assert.True(await first.HandledAsync(), "the old link's reader handled the late answer");

        // The next link's first frame marks the point by which the late answer would have reached the host.
        var second = new PipeLink();
        connector.Succeed(second);
        await second.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/marker\"}\n");
        string next = await NextLineAsync(channel.Output);
        Assert.DoesNotContain("\"late\"", next, StringComparison.Ordinal); // id 1 was already answered with -32000
        Assert.Contains("notifications/marker", next, StringComparison.Ordinal);
    }
}
