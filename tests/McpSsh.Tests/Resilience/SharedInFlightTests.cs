using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// The relay and the resilient channel over one in-flight table: the relay adds and answers requests, the channel
/// marks the link each went out on. A lost link fails exactly its own requests, once; an answer the relay drops
/// (over the limit, malformed) is answered once, by the relay, and ends what it answered.
/// </summary>
public sealed class SharedInFlightTests : IAsyncDisposable
{
    private const string Envelope = "\"_meta\":" + """{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}""";

    private readonly Pipe _stdin = new();
    private readonly HostOutput _stdout = new();
    private readonly LinkConnector _connector = new();
    private readonly InFlightRequests _inFlight = new();
    private readonly InMemoryChannel _first = new(canHalfClose: false);
    private readonly ResilientChannel _channel;
    private readonly Task<RelayResult> _run;

    public SharedInFlightTests()
    {
        _channel = new ResilientChannel(_first, _connector.ConnectAsync, new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22", MaxFrameBytes = 1024 },
            NullLogger.Instance, inFlight: _inFlight);
        var relay = new RelaySession(_stdin.Reader, _stdout, _channel, new RelayOptions { MaxFrameBytes = 1024, Endpoint = "host:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance, inFlight: _inFlight);
        _run = relay.RunAsync(CancellationToken.None);
    }

    private static string Call(int id) => """{"jsonrpc":"2.0","id":""" + id + ""","method":"tools/call","params":{"name":"slow",""" + Envelope + "}}";

    private static string Listen(string id) => """{"jsonrpc":"2.0","id":""" + id + ""","method":"subscriptions/listen","params":{"notifications":{"toolsListChanged":true},""" + Envelope + "}}";

    private Task HostSendsAsync(string json) => _stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(json + "\n")).AsTask();

    private async Task<(string Id, int Code, string Message)> NextErrorAsync()
    {
        JsonNode answer = JsonNode.Parse(await _stdout.NextAsync())!;
        return (answer["id"]!.ToJsonString(), answer["error"]!["code"]!.GetValue<int>(), answer["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ALostLink_FailsOnlyTheRequestsSentOnIt_EachOnce()
    {
        await HostSendsAsync(Call(1));
        Assert.Equal(Call(1), await _first.NextSentAsync());
        _first.RemoteEnds();
        Assert.Equal(("1", -32000), (await NextErrorAsync()) is var (id, code, _) ? (id, code) : default);

        // 2 waits for the next link and goes out on it; 3 is sent on it; 3 is answered there.
        await HostSendsAsync(Call(2));
        var second = new InMemoryChannel(canHalfClose: false);
        _connector.Succeed(second);
        Assert.Equal(Call(2), await second.NextSentAsync());
        await HostSendsAsync(Call(3));
        Assert.Equal(Call(3), await second.NextSentAsync());
        await second.RemoteWritesAsync("""{"jsonrpc":"2.0","id":3,"result":{}}""" + "\n");
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":{}}""", await _stdout.NextAsync());

        // The second link's loss fails 2, sent on it, and nothing else: 1 had its error, 3 its answer.
        second.RemoteEnds();
        (string failed, int failedCode, string message) = await NextErrorAsync();
        Assert.Equal(("2", -32000), (failed, failedCode));
        Assert.StartsWith("connection to host:22 lost: test remote closed", message);

        var third = new InMemoryChannel(canHalfClose: false);
        _connector.Succeed(third);
        await HostSendsAsync(Call(4));
        Assert.Equal(Call(4), await third.NextSentAsync());
        await third.RemoteWritesAsync("""{"jsonrpc":"2.0","id":4,"result":{}}""" + "\n");
        Assert.Equal("""{"jsonrpc":"2.0","id":4,"result":{}}""", await _stdout.NextAsync()); // no second error for 1, 2 or 3 came first
        Assert.Equal(0, _inFlight.Count);
    }

    [Fact]
    public async Task ListensTheRelayAnsweredInTheServersPlace_AreAnsweredOnce_AndNotReplayedOnTheNextLink()
    {
        await HostSendsAsync(Listen("\"big\""));
        await HostSendsAsync(Listen("\"bad\""));
        await HostSendsAsync(Call(5));
        for (int i = 0; i < 3; i++)
        {
            await _first.NextSentAsync();
        }

        // An answer over the limit and a malformed one: only the relay can answer them, with the ids it recovers.
        await _first.RemoteWritesAsync("""{"jsonrpc":"2.0","id":"big","result":{"pad":""" + "\"" + new string('x', 2000) + "\"}}\n");
        (string big, int bigCode, string bigMessage) = await NextErrorAsync();
        Assert.Equal(("\"big\"", -32603), (big, bigCode));
        Assert.Contains("larger than the relay's limit of 1024 bytes", bigMessage);
        await _first.RemoteWritesAsync("""{"jsonrpc":"2.0","id":"bad","result":{"x":}}""" + "\n");
        (string bad, int badCode, _) = await NextErrorAsync();
        Assert.Equal(("\"bad\"", -32603), (bad, badCode));

        // The link's loss fails the call once, and neither listen again; the next link gets neither listen.
        _first.RemoteEnds();
        Assert.Equal("5", (await NextErrorAsync()).Id);
        await HostSendsAsync(Call(6));
        var second = new InMemoryChannel(canHalfClose: false);
        _connector.Succeed(second);
        Assert.Equal(Call(6), await second.NextSentAsync());
        await second.RemoteWritesAsync("""{"jsonrpc":"2.0","id":6,"result":{}}""" + "\n");
        Assert.Equal("""{"jsonrpc":"2.0","id":6,"result":{}}""", await _stdout.NextAsync());
        Assert.Empty(_channel.Replay.Listens.Snapshot());
        Assert.Equal(0, _inFlight.Count);
    }

    [Fact]
    public void InFlight_MarkedRequests_AreFoundByTheLinkTheyWentOutOn()
    {
        var inFlight = new InFlightRequests();
        inFlight.Add("1");
        inFlight.Add("2");
        inFlight.Add("3");
        inFlight.Add("\"listen\"", longLived: true);
        inFlight.MarkSent("1", 0);
        inFlight.MarkSent("2", 1);
        inFlight.MarkSent("\"listen\"", 1);
        inFlight.MarkSent("unknown", 1); // never added (cancelled meanwhile): ignored

        Assert.Equal(["1"], inFlight.SentOn(0));
        Assert.Equal(["2", "\"listen\""], inFlight.SentOn(1));
        Assert.Equal(["2"], inFlight.SentOn(1, except: id => id == "\"listen\""));
        Assert.Empty(inFlight.SentOn(2));
        Assert.False(inFlight.Contains("unknown"));
        Assert.True(inFlight.Remove("2"));
        Assert.False(inFlight.Remove("2"));
        Assert.Equal(3, inFlight.Count); // 3 waits for a link: no link's loss fails it
    }

    public async ValueTask DisposeAsync()
    {
        await _stdin.Writer.CompleteAsync();
        await _channel.DisposeAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
