using McpSsh.Cli;
using McpSsh.Cli.Commands;
using McpSsh.Ssh;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.Cli;

/// <summary>Precedence: explicit flag, then the OpenSSH config for --host, then the Python client's default.</summary>
public class ClientSshConfigTests
{
    private static ClientSettings Parse(params string[] args)
    {
        var root = ClientCommand.Create((_, _) => Task.FromResult(0));
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        return ClientSettings.From(parse, name => name == "SSH_AUTH_SOCK" ? "/run/agent.sock" : null);
    }

    private static string Config(TempDirectory dir, string text)
    {
        File.WriteAllText(dir.File("config"), text);
        return dir.File("config");
    }

    private const string Build = """
        Host build
          HostName build.internal.example
          Port 2222
          User deploy
          IdentityFile ~/.ssh/build_%r
          IdentityFile /keys/second
          UserKnownHostsFile /kh/first /kh/second
          GlobalKnownHostsFile /kh/global
          StrictHostKeyChecking accept-new
          HostKeyAlias build-alias
          HashKnownHosts yes
          ConnectTimeout 7
          ServerAliveInterval 9
          ServerAliveCountMax 4
          IdentitiesOnly yes
          IdentityAgent /tmp/agent-%h.sock
          CertificateFile ~/.ssh/build-cert.pub
        """;

    [Fact]
    public void HostAlias_TakesEverySettingFromTheConfig()
    {
        using var dir = new TempDirectory();
        ClientSettings s = Parse("--host", "build", "--ssh-config", Config(dir, Build));
        string home = PathExpansion.Home;

        Assert.Equal("build.internal.example", s.Ssh.Host);
        Assert.Equal(2222, s.Ssh.Port);
        Assert.Equal("deploy", s.Ssh.Username);
        Assert.Equal([Path.Join(home, ".ssh/build_deploy"), "/keys/second"], s.Ssh.IdentityFiles);
        Assert.Equal(Path.Join(home, ".ssh/build_deploy"), s.Ssh.PrivateKeyPath);
        Assert.True(s.Ssh.IdentityFilesOptional);
        Assert.False(s.GenerateMissingKey);
        Assert.Equal("/kh/first", s.Ssh.KnownHostsPath);
        Assert.Equal(["/kh/second", "/kh/global"], s.Ssh.ReadOnlyKnownHostsPaths);
        Assert.Equal(HostKeyPolicy.AcceptNew, s.Ssh.HostKeyPolicy);
        Assert.Equal("build-alias", s.Ssh.KnownHostsName);
        Assert.True(s.Ssh.HashKnownHosts);
        Assert.Equal(TimeSpan.FromSeconds(7), s.Ssh.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(9), s.Resilience.Keepalive);
        Assert.Equal(4, s.Resilience.KeepaliveCountMax);
        Assert.True(s.Ssh.IdentitiesOnly);
        Assert.Equal("/tmp/agent-build.internal.example.sock", s.Ssh.AgentPath);
        Assert.Equal([Path.Join(home, ".ssh/build-cert.pub")], s.Ssh.CertificateFiles);
        Assert.Contains($"ssh_config: port from {dir.File("config")}:3", s.ConfigNotes);
    }

    [Fact]
    public void UnusedKeywords_AreNotedForTheDebugLog()
    {
        using var dir = new TempDirectory();
        string config = Config(dir, "Host build\n  ForwardAgent yes\n  Port 2\n");
        ClientSettings s = Parse("--host", "build", "--ssh-config", config);
        Assert.Contains($"ssh_config: {config}:2: forwardagent is not used by mcp-ssh", s.ConfigNotes);
    }

    [Fact]
    public void Flags_WinOverTheConfig()
    {
        using var dir = new TempDirectory();
        ClientSettings s = Parse("--host", "build", "--ssh-config", Config(dir, Build), "--port", "3333", "--username", "me",
            "--client-key", "/keys/flag", "--known-hosts", "/kh/flag", "--connect-timeout", "3", "--keepalive", "0", "--keepalive-count-max", "2");

        Assert.Equal(3333, s.Ssh.Port);
        Assert.Equal("me", s.Ssh.Username);
        Assert.Equal(["/keys/flag", Path.Join(PathExpansion.Home, ".ssh/build_me"), "/keys/second"], s.Ssh.IdentityFiles);
        Assert.False(s.Ssh.IdentityFilesOptional);
        Assert.Equal("/kh/flag", s.Ssh.KnownHostsPath);
        Assert.Equal(["/kh/global"], s.Ssh.ReadOnlyKnownHostsPaths);
        Assert.Equal(TimeSpan.FromSeconds(3), s.Ssh.ConnectTimeout);
        Assert.Equal(TimeSpan.Zero, s.Resilience.Keepalive);
        Assert.Equal(2, s.Resilience.KeepaliveCountMax);
    }

    [Fact]
    public void NoMatchingHost_KeepsThePythonDefaultsExactly()
    {
        using var dir = new TempDirectory();
        ClientSettings s = Parse("--host", "elsewhere", "--ssh-config", Config(dir, Build));
        string home = PathExpansion.Home;

        Assert.Equal("elsewhere", s.Ssh.Host);
        Assert.Equal(8022, s.Ssh.Port);
        Assert.Equal("mcp", s.Ssh.Username);
        Assert.Equal([Path.Join(home, ".ssh/m2m_mcp_server_ssh_client")], s.Ssh.IdentityFiles);
        Assert.True(s.GenerateMissingKey);
        Assert.Equal(Path.Join(home, ".ssh/known_hosts"), s.Ssh.KnownHostsPath);
        Assert.Empty(s.Ssh.ReadOnlyKnownHostsPaths);
        Assert.Equal(HostKeyPolicy.Strict, s.Ssh.HostKeyPolicy);
        Assert.Equal("[elsewhere]:8022", s.Ssh.KnownHostsName);
        Assert.False(s.Ssh.HashKnownHosts);
        Assert.Equal(TimeSpan.FromSeconds(15), s.Resilience.Keepalive);
        Assert.Equal("/run/agent.sock", s.Ssh.AgentPath);
        Assert.Empty(s.Ssh.JumpHosts);
        Assert.Null(s.Ssh.ProxyCommand);
    }

    [Fact]
    public void NoSshConfig_IgnoresTheConfig()
    {
        using var dir = new TempDirectory();
        ClientSettings s = Parse("--host", "build", "--no-ssh-config");
        Assert.Equal("build", s.Ssh.Host);
        Assert.Equal(8022, s.Ssh.Port);
    }

    [Fact]
    public void ProxyJump_HopsAreResolvedThroughTheConfigWithSshDefaults()
    {
        using var dir = new TempDirectory();
        string config = Config(dir, """
            Host target
              HostName 10.0.0.5
              ProxyJump bastion,carol@inner:2201
            Host bastion
              HostName bastion.example
              User jumper
              IdentityFile /keys/jump
              UserKnownHostsFile /kh/jump
            Host inner
              StrictHostKeyChecking accept-new
            """);
        ClientSettings s = Parse("--host", "target", "--ssh-config", config);

        Assert.Equal(2, s.Ssh.JumpHosts.Count);
        SshConnectOptions bastion = s.Ssh.JumpHosts[0], inner = s.Ssh.JumpHosts[1];
        Assert.Equal(("bastion.example", 22, "jumper"), (bastion.Host, bastion.Port, bastion.Username));
        Assert.Equal(["/keys/jump"], bastion.IdentityFiles);
        Assert.Equal("/kh/jump", bastion.KnownHostsPath);
        Assert.Equal(HostKeyPolicy.Strict, bastion.HostKeyPolicy);
        Assert.Equal(("inner", 2201, "carol"), (inner.Host, inner.Port, inner.Username));
        Assert.Equal(HostKeyPolicy.AcceptNew, inner.HostKeyPolicy);
        Assert.Equal(Path.Join(PathExpansion.Home, ".ssh/id_ed25519"), inner.IdentityFiles[^1]);
        Assert.Equal(8022, s.Ssh.Port);
    }

    [Fact]
    public void JumpFlag_ReplacesTheConfigsProxySettings()
    {
        using var dir = new TempDirectory();
        string config = Config(dir, "Host target\n  ProxyCommand nc %h %p\n");
        Assert.Equal("nc target 8022", Parse("--host", "target", "--ssh-config", config).Ssh.ProxyCommand);

        ClientSettings s = Parse("--host", "target", "--ssh-config", config, "--jump", "me@hop:2022");
        Assert.Null(s.Ssh.ProxyCommand);
        Assert.Equal(("hop", 2022, "me"), (s.Ssh.JumpHosts[0].Host, s.Ssh.JumpHosts[0].Port, s.Ssh.JumpHosts[0].Username));
    }

    [Fact]
    public void MalformedConfig_IsAUsageErrorNamingFileAndLine()
    {
        using var dir = new TempDirectory();
        string config = Config(dir, "Host build\n  Port twenty\n");
        var ex = Assert.Throws<UsageException>(() => Parse("--host", "build", "--ssh-config", config));
        Assert.StartsWith($"{config}:2: bad port number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StrictHostKeyCheckingNo_InTheConfig_IsWarnedAbout()
    {
        using var dir = new TempDirectory();
        string config = Config(dir, "Host build\n  StrictHostKeyChecking no\n");
        ClientSettings s = Parse("--host", "build", "--ssh-config", config);
        Assert.Equal(HostKeyPolicy.Disabled, s.Ssh.HostKeyPolicy);
        Assert.Contains($"{config}:2 sets StrictHostKeyChecking no for build: host keys are not checked", s.Warnings);
    }

    [Fact]
    public void SshCommand_PassesOnlyWhatSshsConfigDoesNotSay()
    {
        using var dir = new TempDirectory();
        string config = Config(dir, "Host build\n  Port 2222\n");
        ClientSettings s = Parse("--host", "build", "--ssh-config", config, "--ssh-command", "ssh");

        Assert.NotNull(s.OpenSsh);
        Assert.Equal("build", s.OpenSsh!.Destination);
        Assert.Null(s.OpenSsh.Port);
        Assert.Equal("mcp", s.OpenSsh.User);
        Assert.Equal(config, s.OpenSsh.ConfigFile);
        Assert.Null(s.OpenSsh.StrictHostKeyChecking);
    }

    [Theory]
    [InlineData("/nonexistent/ssh", "--ssh-command /nonexistent/ssh: no such program;")]
    [InlineData("no-such-ssh-client", "--ssh-command no-such-ssh-client: no such program on PATH;")]
    public void SshCommand_ThatIsNotThere_IsAUsageError(string command, string message)
    {
        var ex = Assert.Throws<UsageException>(() => Parse("--host", "build", "--no-ssh-config", "--ssh-command", command));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }
}
