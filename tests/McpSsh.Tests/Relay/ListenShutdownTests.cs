using System.IO.Pipelines;
using System.Text;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>A 2026-07-28 subscriptions/listen stays open for the session: shutdown must not wait for its answer.</summary>
public class ListenShutdownTests
{
    private const string Listen = """{"jsonrpc":"2.0","id":"listen:0","method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}""";

    [Fact]
    public async Task HostClosesStdin_WithAListenOpen_TheSessionEndsWithoutWaitingTheDrainTimeout()
    {
        var stdin = new Pipe();
        var stdout = new HostOutput();
        var channel = new InMemoryChannel(canHalfClose: false);
        // A drain timeout far beyond the test's wait: only a session that does not wait for the listen ends in time.
        var relay = new RelaySession(stdin.Reader, stdout, channel, new RelayOptions { Endpoint = "example:22", DrainTimeout = TimeSpan.FromMinutes(5) }, NullLogger.Instance);
        Task<RelayResult> run = relay.RunAsync(CancellationToken.None);

        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(Listen + "\n" + """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""" + "\n"));
        Assert.Equal(Listen, await channel.NextSentAsync());
        await channel.NextSentAsync();
        await stdin.Writer.CompleteAsync();

        // The ordinary request is still waited for (its answer comes), the listen is not.
        await channel.RemoteWritesAsync("""{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}""" + "\n");
        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RelayOutcome.HostClosed, result.Outcome);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}""", await stdout.NextAsync());
        Assert.Equal(1, relay.InFlight.Count); // the listen, which a link that ends still answers
    }

    [Fact]
    public void InFlight_LongLivedRequests_AreTakenButNotWaitedFor()
    {
        var inFlight = new InFlightRequests();
        inFlight.Add("\"listen:0\"", longLived: true);
        Assert.True(inFlight.WhenEmpty().IsCompleted);
        inFlight.Add("1");
        Assert.False(inFlight.WhenEmpty().IsCompleted);
        inFlight.Remove("\"listen:0\"");
        Assert.False(inFlight.WhenEmpty().IsCompleted);
        inFlight.Add("\"listen:1\"", longLived: true);
        inFlight.Remove("1");
        Assert.True(inFlight.WhenEmpty().IsCompleted);
        Assert.Equal(["\"listen:1\""], inFlight.TakeAll());
    }
}
