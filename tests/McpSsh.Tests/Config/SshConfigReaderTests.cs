using McpSsh.Ssh.Config;
using McpSsh.Tests.Support;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.Tests.Config;

public class SshConfigReaderTests
{
    private static readonly SshConfigContext s_context = new("build", "alice", "/home/alice", "laptop.lan");

    private static ResolvedSshConfig Resolve(TempDirectory dir, string config, SshConfigContext? context = null)
    {
        string path = dir.File("config");
        File.WriteAllText(path, config);
        return SshConfigReader.Resolve(context ?? s_context, SshConfigFile.Only(path, dir.Path));
    }

    [Theory]
    [InlineData("Port", 1, "no argument after keyword \"Port\"")]
    [InlineData("Host x\n  User \"unterminated", 2, "invalid quotes")]
    [InlineData("Port 70000", 1, "bad port number \"70000\"")]
    [InlineData("Host x\n\n  User a b", 3, "takes one argument")]
    [InlineData("Match color blue", 1, "unsupported Match attribute color")]
    [InlineData("Match host", 1, "Match host needs an argument")]
    [InlineData("Match all host x", 1, "Match all cannot be combined")]
    [InlineData("IdentitiesOnly maybe", 1, "IdentitiesOnly takes yes or no")]
    [InlineData("StrictHostKeyChecking sometimes", 1, "StrictHostKeyChecking takes yes, accept-new, no or ask")]
    [InlineData("ConnectTimeout 10x", 1, "is not a time")]
    [InlineData("ServerAliveCountMax -1", 1, "is not a number")]
    [InlineData("ProxyJump bob@", 1, "invalid ProxyJump")]
    [InlineData("UserKnownHostsFile none ~/other", 1, "\"none\" must appear alone")]
    public void Resolve_MalformedLine_NamesFileAndLine(string config, int line, string problem)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshConfigException>(() => Resolve(dir, config));
        Assert.Equal($"{dir.File("config")}:{line}", ex.Location);

        // OpenSSH refuses the same line (ssh -G exits 255 with "terminating, 1 bad configuration options").
        var refused = Assert.Throws<InvalidOperationException>(() => Tool.Run("ssh", "-G", "-F", dir.File("config"), "build"));
        Assert.Contains($"line {line}", refused.Message.Replace("Unsupported Match attribute", "line 1", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Contains("--no-ssh-config", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MalformedLineInABlockThatDoesNotApply_IsStillAnError()
    {
        using var dir = new TempDirectory();
        Assert.Throws<SshConfigException>(() => Resolve(dir, "Host elsewhere\n  Port nope\n"));
        Assert.Throws<InvalidOperationException>(() => Tool.Run("ssh", "-G", "-F", dir.File("config"), "build"));
    }

    [Fact]
    public void Resolve_IncludeOfItself_StopsAtTheDepthLimit()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshConfigException>(() => Resolve(dir, $"Include {dir.File("config")}\n"));
        Assert.Contains("deeper than 16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingRequiredFile_SaysSo()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshConfigException>(() => SshConfigReader.Resolve(s_context, SshConfigFile.Only(dir.File("absent"), dir.Path)));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingDefaultFiles_ResolveToNothing()
    {
        using var dir = new TempDirectory();
        var files = new[] { new SshConfigFile(dir.File("none1"), dir.Path), new SshConfigFile(dir.File("none2"), dir.Path) };
        ResolvedSshConfig resolved = SshConfigReader.Resolve(s_context, files);
        Assert.Null(resolved.Port);
        Assert.Equal("build", resolved.EffectiveHostName);
        Assert.Empty(resolved.Sources);
    }

    [Fact]
    public void Resolve_UserFileBeforeSystemFile_FirstWinsAndRelativeIncludesUseEachFilesDirectory()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("user"));
        Directory.CreateDirectory(dir.File("system"));
        File.WriteAllText(dir.File("user/config"), "Include extra.conf\nHost build\n  User from-user\n");
        File.WriteAllText(dir.File("user/extra.conf"), "Host build\n  ConnectTimeout 3\n");
        File.WriteAllText(dir.File("system/ssh_config"), "Include sys.d/*\nHost *\n  User from-system\n  Port 2200\n");
        Directory.CreateDirectory(dir.File("system/sys.d"));
        File.WriteAllText(dir.File("system/sys.d/a"), "ServerAliveInterval 9\n");
        var files = new[] { new SshConfigFile(dir.File("user/config"), dir.File("user")), new SshConfigFile(dir.File("system/ssh_config"), dir.File("system")) };

        ResolvedSshConfig resolved = SshConfigReader.Resolve(s_context, files);

        Assert.Equal("from-user", resolved.User);
        Assert.Equal(2200, resolved.Port);
        Assert.Equal(3, resolved.ConnectTimeoutSeconds);
        Assert.Equal(9, resolved.ServerAliveIntervalSeconds);
        Assert.Equal($"{dir.File("user/config")}:3", resolved.Sources["user"]);
        Assert.Equal($"{dir.File("user/extra.conf")}:2", resolved.Sources["connecttimeout"]);
        Assert.Equal($"{dir.File("system/ssh_config")}:4", resolved.Sources["port"]);
    }

    [Fact]
    public void Resolve_MatchExec_IsNotMatchedAndWarnsOnce()
    {
        using var dir = new TempDirectory();
        ResolvedSshConfig resolved = Resolve(dir, "Match exec \"true\"\n  Port 1\n");
        Assert.Null(resolved.Port);
        string warning = Assert.Single(resolved.Warnings);
        Assert.Equal($"{dir.File("config")}:1: Match exec is not supported by mcp-ssh; the block is treated as not matching", warning);
    }

    [Fact]
    public void Resolve_MatchUser_SeesTheCommandLineUserFirst()
    {
        using var dir = new TempDirectory();
        string config = "Host build\n  User from-config\nMatch user cli\n  Port 7\n";
        Assert.Equal(7, Resolve(dir, config, s_context with { UserFromCommandLine = "cli" }).Port);
        Assert.Null(Resolve(dir, config).Port);
    }

    [Fact]
    public void Resolve_UnusedKeywords_AreListedNotRefused()
    {
        using var dir = new TempDirectory();
        ResolvedSshConfig resolved = Resolve(dir, "ForwardAgent yes\nHost build\n  Compression yes\n");
        Assert.Equal([$"{dir.File("config")}:1: forwardagent", $"{dir.File("config")}:3: compression"], resolved.Ignored);
    }

    [Fact]
    public void Resolve_JumpHosts_AreParsedFirstHopFirst()
    {
        using var dir = new TempDirectory();
        ResolvedSshConfig resolved = Resolve(dir, "ProxyJump a,bob@b:2200,ssh://carol@[::1]:2201\n");
        Assert.Equal([new SshJumpHost(null, "a", null), new SshJumpHost("bob", "b", 2200), new SshJumpHost("carol", "::1", 2201)], resolved.JumpHosts);
        Assert.Equal("carol@[::1]:2201", resolved.JumpHosts[2].ToString());
    }
}
