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
    [InlineData("Host build\n  ProxyJmp bastion", 2, "unknown keyword \"ProxyJmp\": did you mean proxyjump?")]
    [InlineData("Host build\n  User a\rPort 5", 2, "takes one argument")]
    [InlineData("=build", 1, "has no keyword")]
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

    [Fact]
    public void Resolve_KeywordsSshKnows_AreQuiet_UnknownOnesWarn_IgnoreUnknownSilences()
    {
        using var dir = new TempDirectory();
        ResolvedSshConfig resolved = Resolve(dir, "UseKeychain yes\nFrobnicate yes\nIgnoreUnknown Wibble*\nWibbleWobble 1\n");
        string warning = Assert.Single(resolved.Warnings);
        Assert.StartsWith($"{dir.File("config")}:2: unknown keyword \"Frobnicate\" is ignored", warning, StringComparison.Ordinal);
        Assert.Contains($"{dir.File("config")}:1: usekeychain", resolved.Ignored);
    }

    [Fact]
    public void Resolve_FifoAndDeviceIncludes_AreNeverOpened()
    {
        using var dir = new TempDirectory();
        Tool.Run("mkfifo", dir.File("fifo"));
        ResolvedSshConfig resolved = Resolve(dir, $"Include {dir.File("fifo")} /dev/zero\nPort 7\n");
        Assert.Equal(7, resolved.Port);
    }

    [Fact]
    public void Resolve_AFanOfIncludes_StopsAtTheFileBudget()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 8; i++)
        {
            string next = dir.File($"L{i + 1}");
            File.WriteAllText(dir.File($"L{i}"), i < 7 ? $"Include {next} {next} {next} {next}\n" : "Port 1\n");
        }

        var ex = Assert.Throws<SshConfigException>(() => SshConfigReader.Resolve(s_context, SshConfigFile.Only(dir.File("L0"), dir.Path)));
        Assert.Contains($"more than {SshConfigReader.MaxFiles} OpenSSH config files", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MoreThanAHundredIdentityFiles_IsAnErrorAsInSsh()
    {
        using var dir = new TempDirectory();
        string config = string.Concat(Enumerable.Range(0, 101).Select(i => $"IdentityFile ~/.ssh/k{i}\n"));
        var ex = Assert.Throws<SshConfigException>(() => Resolve(dir, config));
        Assert.Equal($"{dir.File("config")}:101", ex.Location);
    }

    [Fact]
    public void Resolve_ADirectoryGivenAsTheConfig_SaysSo()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshConfigException>(() => SshConfigReader.Resolve(s_context, SshConfigFile.Only(dir.Path, dir.Path)));
        Assert.Contains("is a directory", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host build\n  HostName %", "ends with a lone %")]
    [InlineData("Host build\n  HostName build%z", "unknown token %z")]
    public void Resolve_BadTokenInHostName_NamesFileAndLine(string config, string problem)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshConfigException>(() => Resolve(dir, config));
        Assert.Equal($"{dir.File("config")}:2", ex.Location);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);

        // ssh refuses it too (percent_expand), without naming the line.
        Assert.Throws<InvalidOperationException>(() => Tool.Run("ssh", "-G", "-F", dir.File("config"), "build"));
    }

    [Theory]
    [InlineData("Match exec \"true\"\n  ProxyJump bastion", "ProxyJump is set in a block mcp-ssh cannot evaluate (Match exec")]
    [InlineData("Match final\n  ProxyCommand nc %h %p", "ProxyCommand is set in a block mcp-ssh cannot evaluate (Match final")]
    [InlineData("Match canonical all\n  StrictHostKeyChecking no", "StrictHostKeyChecking is set in a block")]
    public void Resolve_TrustSettingBehindAnUnsupportedMatch_IsRefused(string config, string problem)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<SshConfigException>(() => Resolve(dir, config));
        Assert.Equal($"{dir.File("config")}:2", ex.Location);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Contains("--ssh-command ssh", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnsupportedMatchWithHarmlessSettings_OnlyWarns_AndTheNextHostBlockIsNormal()
    {
        using var dir = new TempDirectory();
        ResolvedSshConfig resolved = Resolve(dir, "Match exec \"true\"\n  Port 1\nHost build\n  ProxyJump bastion\n");
        Assert.Null(resolved.Port);
        Assert.Equal("bastion", resolved.ProxyJump);
        Assert.Single(resolved.Warnings);
    }
}
