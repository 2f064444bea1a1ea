using System.Globalization;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.IntegrationTests;

/// <summary>SIGTERM ends a session with exit 0 even with a request in flight, and a second one changes nothing.</summary>
[Collection(SshdCollection.Name)]
public class SignalTests(SshdFixture sshd)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Sigterm_WithARequestInFlight_ExitsZero(int signals)
    {
        await using RawMcpSsh run = RawMcpSsh.Start(McpSshRun.Args(sshd, sshd.TestServerKey));
        await run.WriteLineAsync(RawMcpSsh.Initialize);
        Assert.Equal(1, (await run.ReadResponseAsync()).GetProperty("id").GetInt32());
        await run.WriteLineAsync(RawMcpSsh.Initialized);
        await run.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow","arguments":{"steps":300,"stepMs":100},"_meta":{"progressToken":"p"}}}""");
        // The first progress notification says the call is running on the server.
        Assert.True((await run.ReadMessageAsync()).TryGetProperty("method", out _));

        for (int i = 0; i < signals; i++)
        {
            Tool.Run("kill", "-TERM", run.Pid.ToString(CultureInfo.InvariantCulture));
        }

        Assert.Equal(0, await run.WaitForExitAsync());
        Assert.DoesNotContain("internal error", run.Stderr, StringComparison.Ordinal);
    }
}
