using McpSsh.IntegrationTests.Fixtures;
using McpSsh.Tests.Common;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>`mcp-ssh --host alias` wherever `ssh alias` works: ~/.ssh/config, ssh-agent, jump hosts, ProxyCommand.</summary>
[Collection(SshdCollection.Name)]
public class SshConfigTests(SshdFixture sshd)
{
    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    /// <summary>The feature probe: tools, prompts, resources, and a request from the server to the host.</summary>
    private static async Task ProbeAsync(IEnumerable<string> args, IDictionary<string, string> environment)
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(args, HostHandlers.SamplingElicitationRoots("file:///work/a"), environment);
        McpClient client = session.Client;
        Assert.Equal("mcp-ssh-test-server", client.ServerInfo!.Name);
        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "echo");
        Assert.Equal("echo: via alias", Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "via alias" })));
        Assert.Equal("greeting", Assert.Single(await client.ListPromptsAsync()).Name);
        Assert.Equal("test://static/hello", Assert.Single(await client.ListResourcesAsync()).Uri);
        Assert.Equal("file:///work/a", Text(await client.CallToolAsync("roots")));
    }

    [Fact]
    public async Task HostAlias_Alone_PassesTheProbe()
    {
        using var home = new TestHome();
        home.WriteConfig(TestHome.HostBlock("build", sshd, $"  IdentityFile {sshd.TestServerKey}"));

        await ProbeAsync(["--host", "build"], home.Environment());
    }

    [Fact]
    public async Task KeyOnlyInTheAgent_Authenticates()
    {
        using var home = new TestHome();
        using SshAgentProcess agent = SshAgentProcess.Start();
        string key = Path.Combine(home.Path, "agent-only");
        File.Copy(sshd.TestServerKey, key);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        agent.Add(key);
        File.Delete(key);
        home.WriteConfig(TestHome.HostBlock("build", sshd));

        await ProbeAsync(["--host", "build"], home.Environment(agent.SocketPath));
    }

    [Fact]
    public async Task LockedAgent_IsOneClearAuthenticationError()
    {
        using var home = new TestHome();
        using SshAgentProcess agent = SshAgentProcess.Start();
        agent.Add(sshd.TestServerKey);
        agent.Lock("pw");
        home.WriteConfig(TestHome.HostBlock("build", sshd));

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(["--host", "build"], home.Environment(agent.SocketPath));

        Assert.Equal(6, code);
        string line = Assert.Single(stderr.Split('\n'), l => l.StartsWith("mcp-ssh: ", StringComparison.Ordinal));
        Assert.Contains($"no key from the ssh-agent at {agent.SocketPath} (it is empty or locked", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdentityAgentNone_InTheConfig_KeepsTheAgentOut()
    {
        using var home = new TestHome();
        using SshAgentProcess agent = SshAgentProcess.Start();
        agent.Add(sshd.TestServerKey);
        home.WriteConfig(TestHome.HostBlock("build", sshd, "  IdentityAgent none"));

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(["--host", "build"], home.Environment(agent.SocketPath));

        Assert.Equal(6, code);
        Assert.DoesNotContain("agent ssh-ed25519", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyJump_ReachesTheTargetThroughTheJumpSshd()
    {
        await using PrivateSshd jump = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict,port-forwarding", "LogLevel DEBUG1");
        using var home = new TestHome();
        home.WriteConfig(JumpConfig(jump, home) + TestHome.HostBlock("target", sshd, $"  IdentityFile {sshd.TestServerKey}\n  ProxyJump jumpbox"));

        await ProbeAsync(["--host", "target"], home.Environment());

        await jump.WaitForLogAsync($"target 127.0.0.1 port {sshd.Port}");
        Assert.Contains("Accepted publickey for " + Environment.UserName, jump.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyJump_TwoHops_EachForwardsToTheNext()
    {
        await using PrivateSshd first = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict,port-forwarding", "LogLevel DEBUG1");
        await using PrivateSshd second = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict,port-forwarding", "LogLevel DEBUG1");
        using var home = new TestHome();
        home.WriteConfig(JumpConfig(first, home, name: "jump1") + JumpConfig(second, home, name: "jump2")
            + TestHome.HostBlock("target", sshd, $"  IdentityFile {sshd.TestServerKey}\n  ProxyJump jump1,jump2"));

        await ProbeAsync(["--host", "target"], home.Environment());

        await first.WaitForLogAsync($"target 127.0.0.1 port {second.Port}");
        await second.WaitForLogAsync($"target 127.0.0.1 port {sshd.Port}");
        Assert.DoesNotContain($"target 127.0.0.1 port {sshd.Port}", first.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JumpFlag_WithAHopThatForbidsTheTarget_FailsNamingTheHop()
    {
        await using PrivateSshd jump = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict,port-forwarding", "PermitOpen 127.0.0.1:1", "LogLevel DEBUG1");
        using var home = new TestHome();
        home.WriteConfig(JumpConfig(jump, home) + TestHome.HostBlock("target", sshd, $"  IdentityFile {sshd.TestServerKey}"));

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(["--host", "target", "--jump", "jumpbox", "--connect-timeout", "3"], home.Environment());

        Assert.True(code == 3, $"exit {code}: {stderr}");
        string line = Assert.Single(stderr.Split('\n'), l => l.StartsWith("mcp-ssh: ", StringComparison.Ordinal));
        Assert.Contains($"through jump host {Environment.UserName}@127.0.0.1:{jump.Port}", line, StringComparison.Ordinal);
        Assert.Contains("the jump host may refuse to forward there (PermitOpen, AllowTcpForwarding)", line, StringComparison.Ordinal);
        await jump.WaitForLogAsync($"target 127.0.0.1 port {sshd.Port}");
        Assert.Contains("but the request was denied", jump.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JumpHostWithAnUnknownKey_IsRefusedNamingTheHop()
    {
        await using PrivateSshd jump = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict,port-forwarding");
        using var home = new TestHome();
        File.WriteAllText(Path.Combine(home.SshDir, "jumpbox_known_hosts"), "");
        home.WriteConfig(JumpConfig(jump, home, knownHosts: false) + TestHome.HostBlock("target", sshd, $"  IdentityFile {sshd.TestServerKey}\n  ProxyJump jumpbox"));

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(["--host", "target"], home.Environment());

        Assert.Equal(5, code);
        Assert.Contains($"mcp-ssh: jump host {Environment.UserName}@127.0.0.1:{jump.Port}: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain($"target 127.0.0.1 port {sshd.Port}", jump.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyCommand_CarriesTheConnection()
    {
        await using PrivateSshd jump = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict,port-forwarding", "LogLevel DEBUG1");
        using var home = new TestHome();
        string jumpKnownHosts = Path.Combine(home.SshDir, "jump_known_hosts");
        File.WriteAllText(jumpKnownHosts, $"{jump.HostName} {jump.HostKeyPub("ed25519")}\n");
        string proxy = $"ssh -F none -o BatchMode=yes -o UserKnownHostsFile={jumpKnownHosts} -i {jump.ClientKey} -p {jump.Port} -W %h:%p {Environment.UserName}@127.0.0.1";
        home.WriteConfig(TestHome.HostBlock("target", sshd, $"  IdentityFile {sshd.TestServerKey}\n  ProxyCommand {proxy}"));

        await ProbeAsync(["--host", "target"], home.Environment());

        await jump.WaitForLogAsync($"target 127.0.0.1 port {sshd.Port}");
    }

    private static string JumpConfig(PrivateSshd jump, TestHome home, bool knownHosts = true, string name = "jumpbox")
    {
        string file = Path.Combine(home.SshDir, $"{name}_known_hosts");
        if (knownHosts)
        {
            File.WriteAllText(file, $"{jump.HostName} {jump.HostKeyPub("ed25519")}\n");
        }

        return $"""
            Host {name}
              HostName 127.0.0.1
              Port {jump.Port}
              User {Environment.UserName}
              IdentityFile {jump.ClientKey}
              UserKnownHostsFile {file}

            """;
    }
}
