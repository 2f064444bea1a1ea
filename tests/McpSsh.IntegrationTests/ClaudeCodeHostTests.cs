using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 15, done-when: the real Claude Code CLI shows mcp-ssh's own message (not "Connection closed") for a wrong
/// known_hosts, a refused key and a closed port, and still connects through a good entry.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class ClaudeCodeHostTests(SshdFixture sshd) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-claude-keys-").FullName;
    private readonly ClaudeCli _claude = new();

    public void Dispose()
    {
        _claude.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string LineOf(string output, string name) =>
        Assert.Single(output.Split('\n'), l => l.StartsWith(name + ":", StringComparison.Ordinal));

    [Fact]
    public async Task McpList_ShowsMcpSshsOwnMessageForEachFailure_AndConnectsAGoodEntry()
    {
        string wrongKnownHosts = Path.Combine(_dir, "known_hosts");
        string otherKey = File.ReadAllText(sshd.UnauthorizedKey + ".pub").Trim();
        File.WriteAllText(wrongKnownHosts, $"{sshd.HostName} {string.Join(' ', otherKey.Split(' ')[..2])}\n");
        List<string> wrongHostKey = McpSshRun.Args(sshd, sshd.TestServerKey);
        wrongHostKey[wrongHostKey.IndexOf("--known-hosts") + 1] = wrongKnownHosts;
        List<string> closedPort = McpSshRun.Args(sshd, sshd.TestServerKey);
        closedPort[closedPort.IndexOf("--port") + 1] = SshdFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

        foreach ((string name, List<string> args) in new[]
        {
            ("good", McpSshRun.Args(sshd, sshd.TestServerKey)),
            ("wrong-known-hosts", wrongHostKey),
            ("refused-key", McpSshRun.Args(sshd, sshd.UnauthorizedKey)),
            ("closed-port", closedPort),
        })
        {
            (int added, string addOutput) = await _claude.AddAsync(name, TestPaths.McpSshBinary, args);
            Assert.True(added == 0, addOutput);
        }

        (_, string output) = await _claude.ListAsync();

        Assert.Contains("✔ Connected", LineOf(output, "good"), StringComparison.Ordinal);
        Assert.Contains("Failed to connect — -32000: mcp-ssh: HOST KEY CHANGED for", LineOf(output, "wrong-known-hosts"), StringComparison.Ordinal);
        Assert.Contains("Failed to connect — -32000: mcp-ssh: authentication failed at", LineOf(output, "refused-key"), StringComparison.Ordinal);
        // Claude Code replaces every substring equal to one of the entry's args with [redacted] (here 127.0.0.1, --host, --port).
        Assert.Contains("Failed to connect — -32000: mcp-ssh: connection refused by ", LineOf(output, "closed-port"), StringComparison.Ordinal);
        Assert.Contains("no SSH server is listening there", LineOf(output, "closed-port"), StringComparison.Ordinal);
    }
}
