using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>An exception nobody expected ends the process with one line and exit 1, never a runtime abort.</summary>
[Collection(SshdCollection.Name)]
public class InternalErrorTests(SshdFixture sshd)
{
    [Theory]
    [InlineData("thread", "injected fault on a background thread")]
    [InlineData("task", "injected fault in the command")]
    public async Task UnexpectedException_IsOneInternalErrorLine_AndExitOne(string fault, string message)
    {
        // stdin stays open: only the fault can end this session, so a handler that does not exit hangs the test.
        await using RawMcpSsh run = RawMcpSsh.Start(McpSshRun.Args(sshd, sshd.TestServerKey), new Dictionary<string, string> { ["MCP_SSH_TEST_FAULT"] = fault });

        Assert.Equal(1, await run.WaitForExitAsync());
        string[] internalLines = run.Stderr.Split('\n').Where(l => l.Contains("internal error", StringComparison.Ordinal)).ToArray();
        string line = Assert.Single(internalLines);
        Assert.StartsWith($"mcp-ssh: internal error: InvalidOperationException: {message}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   at ", run.Stderr, StringComparison.Ordinal);
    }
}
