using System.IO.Pipelines;
using System.Text;
using McpSsh.Filtering;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

public class ToolFilterStageTests
{
    private readonly Pipe _stdin = new();
    private readonly HostOutput _stdout = new();

    private static readonly ToolFilter Filter = new([ToolGlob.Parse("*")], [ToolGlob.Parse("delete_*")], "--allow-tools", "--deny-tools");

    private RelaySession Create(InMemoryChannel channel) =>
        new(_stdin.Reader, _stdout, channel,
            new RelayOptions { Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30), ToolFilter = Filter },
            NullLogger.Instance);

    private Task HostWritesAsync(string text) => _stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    [Fact]
    public async Task ToolsListAnswer_LosesFilteredTools_OtherFramesStayByteForByte()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Create(channel).RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}\n");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}", await channel.NextSentAsync());
        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"prompts/list\"}\n");
        await channel.NextSentAsync();

        // A prompts/list answer that happens to hold "tools" is not a tools/list answer: untouched.
        string prompts = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{ \"prompts\":[],\"tools\":[{\"name\":\"delete_p\"}]}}";
        await channel.RemoteWritesAsync(prompts + "\n");
        Assert.Equal(prompts, await _stdout.NextAsync());

        await channel.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"delete_file\"},{\"name\":\"echo\"}]}}\n");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"echo\"}]}}", await _stdout.NextAsync());

        string notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\" }";
        await channel.RemoteWritesAsync(notification + "\n");
        Assert.Equal(notification, await _stdout.NextAsync());

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CallOfAFilteredTool_IsAnsweredWithTheFilter_AndNeverSent()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        RelaySession relay = Create(channel);
        Task<RelayResult> run = relay.RunAsync(CancellationToken.None);

        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":\"c1\",\"method\":\"tools/call\",\"params\":{\"name\":\"delete_file\",\"arguments\":{}}}\n");
        await HostWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":\"c2\",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}}\n");

        string error = await _stdout.NextAsync();
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":\"c1\",\"error\":{\"code\":-32602,\"message\":\"tool \\u0022delete_file\\u0022 is filtered out by mcp-ssh: it matches --deny-tools glob \\u0022delete_*\\u0022; the call was not sent\"}}", error);
        // Only the allowed call reached the remote, and only it is in flight.
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":\"c2\",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{}}}", await channel.NextSentAsync());
        Assert.Equal(1, relay.InFlight.Count);

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void NoFilter_NoStage()
    {
        Assert.Null(ToolFilterStage.For(null));
        Assert.Null(ToolFilterStage.For(ToolFilter.None));
    }
}
