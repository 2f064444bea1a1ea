using System.Text.RegularExpressions;
using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>
/// What every released artifact must do, run against whichever binary MCP_SSH_BIN names (scripts/verify-release
/// points it at the linux tarballs' binaries, the installed .NET tool and the .deb's /usr/bin/mcp-ssh):
/// say what it is, and carry one real MCP session through a real sshd on loopback.
/// MCP_SSH_EXPECT_VERSION and MCP_SSH_EXPECT_RID, when set, pin the version and runtime identifier it must report.
/// </summary>
[Collection(SshdCollection.Name)]
public partial class ReleaseSmokeTests(SshdFixture sshd)
{
    [GeneratedRegex(@"^mcp-ssh (?<version>\S+) \(commit (?<commit>[0-9a-f]{12}|unknown), (?<rid>[a-z]+-[a-z0-9]+)\)$")]
    private static partial Regex VersionLine();

    [Fact]
    public async Task Version_PrintsVersionCommitAndRuntimeIdentifier_OnStdout()
    {
        (int exitCode, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(["--version"]);

        Assert.Equal(0, exitCode);
        Assert.Equal("", stderr);
        Match line = VersionLine().Match(stdout.TrimEnd('\n'));
        Assert.True(line.Success, $"--version printed: {stdout}");
        if (Environment.GetEnvironmentVariable("MCP_SSH_EXPECT_VERSION") is { Length: > 0 } version)
        {
            Assert.Equal(version, line.Groups["version"].Value);
        }

        if (Environment.GetEnvironmentVariable("MCP_SSH_EXPECT_RID") is { Length: > 0 } rid)
        {
            Assert.Equal(rid, line.Groups["rid"].Value);
        }
    }

    [Fact]
    public async Task Session_ListsAndCallsToolsThroughSshd()
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(McpSshRun.Args(sshd, sshd.TestServerKey));

        Assert.Equal("mcp-ssh-test-server", session.Client.ServerInfo!.Name);
        Assert.Contains(await session.Client.ListToolsAsync(), t => t.Name == "echo");
        CallToolResult result = await session.Client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "release ✓" });
        Assert.Equal("echo: release ✓", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
    }
}
