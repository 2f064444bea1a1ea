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
    public async Task ProxyJump_AStrangerConnectingToTheForwardingListener_DoesNotEndTheSession()
    {
        await using PrivateSshd jump = await PrivateSshd.StartWithKeyOptionsAsync(["ed25519"], "restrict,port-forwarding");
        using var home = new TestHome();
        home.WriteConfig(JumpConfig(jump, home) + TestHome.HostBlock("target", sshd, $"  IdentityFile {sshd.TestServerKey}\n  ProxyJump jumpbox"));
        await using RawMcpSsh run = RawMcpSsh.Start(["--host", "target", "--no-reconnect"], home.Environment());
        await run.WriteLineAsync(RawMcpSsh.Initialize);
        Assert.Equal(1, (await run.ReadResponseAsync()).GetProperty("id").GetInt32());
        await run.WriteLineAsync(RawMcpSsh.Initialized);

        List<int> ports = ListeningPorts(run.Pid);
        Assert.NotEmpty(ports); // SSH.NET's forwarding listener stays bound for the life of the hop
        foreach (int port in ports)
        {
            using var stranger = new System.Net.Sockets.TcpClient();
            await stranger.ConnectAsync(System.Net.IPAddress.Loopback, port);
            await stranger.GetStream().WriteAsync("SSH-2.0-stranger\r\n"u8.ToArray());
            // The veto closes it (FIN, or RST since our bytes were never read) before any channel is opened.
            int read;
            try
            {
                read = await stranger.GetStream().ReadAsync(new byte[64]).AsTask().WaitAsync(McpSshRun.Timeout);
            }
            catch (IOException)
            {
                read = 0;
            }

            Assert.Equal(0, read);
        }

        await run.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"still here"}}}""");
        Assert.Contains("still here", (await run.ReadResponseAsync()).GetRawText(), StringComparison.Ordinal);
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    /// <summary>The TCP ports a process listens on, from /proc (its socket inodes matched against /proc/net/tcp).</summary>
    private static List<int> ListeningPorts(int pid)
    {
        var inodes = new HashSet<string>(Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget ?? "").Where(t => t.StartsWith("socket:[", StringComparison.Ordinal)).Select(t => t[8..^1]));
        return [.. File.ReadAllLines("/proc/net/tcp").Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] == "0A" && inodes.Contains(f[9])).Select(f => Convert.ToInt32(f[1].Split(':')[1], 16))];
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
