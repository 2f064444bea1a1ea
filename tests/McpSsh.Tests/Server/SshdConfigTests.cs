using McpSsh.Server;
using McpSsh.Server.Sshd;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging;

namespace McpSsh.Tests.Server;

public class SshdConfigTests
{
    private static SshdConfig Config() => new()
    {
        ListenAddress = "127.0.0.1",
        Port = 8022,
        HostKeyPath = "/var/lib/mcp ssh/host key",
        AuthorizedKeysFiles = ["/home/mcp/.ssh/authorized_keys", "/var/lib/mcp/registered_keys"],
        AllowUser = "mcp",
        ForceCommand = "/usr/bin/mcp-ssh gateway --servers-config /etc/mcp/servers.json",
        PidFile = "/var/lib/mcp/sshd.pid",
        LogLevel = LogLevel.Information,
        Extra = [("StrictModes", "no")],
    };

    [Fact]
    public void Render_LocksEverythingDownAndForcesTheGateway()
    {
        string[] lines = Config().Render().Split('\n');
        foreach (string expected in new[]
        {
            "ListenAddress 127.0.0.1:8022",
            "HostKey \"/var/lib/mcp ssh/host key\"",
            "AuthorizedKeysFile /home/mcp/.ssh/authorized_keys /var/lib/mcp/registered_keys",
            "AllowUsers mcp",
            "ForceCommand /usr/bin/mcp-ssh gateway --servers-config /etc/mcp/servers.json",
            "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "PermitRootLogin prohibit-password",
            "PermitTTY no", "X11Forwarding no", "AllowTcpForwarding no", "AllowAgentForwarding no", "PermitUserEnvironment no",
            "LogLevel VERBOSE",
        })
        {
            Assert.Contains(expected, lines);
        }

        // Extra lines come last: sshd keeps a keyword's first value, so they cannot undo the ones above.
        Assert.Equal("StrictModes no", lines.Last(l => l.Length > 0));
    }

    [Fact]
    public void Ipv6_IsBracketed()
    {
        Assert.Contains("ListenAddress [::1]:2222", (Config() with { ListenAddress = "::1", Port = 2222 }).Render());
    }

    [Theory]
    [InlineData("/usr/bin/mcp-ssh", "/usr/bin/mcp-ssh")]
    [InlineData("/opt/my tools/mcp-ssh", "'/opt/my tools/mcp-ssh'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$(reboot)", "'$(reboot)'")]
    [InlineData("", "''")]
    public void ShellQuote_KeepsEveryWordOneWord(string word, string expected)
    {
        Assert.Equal(expected, SshdConfig.ShellQuote(word));
    }

    [Fact]
    public void MissingSshd_SaysHowToInstallIt()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<ServeException>(() => SshdLocator.FindSshd(null, dir.Path, [dir.Path]));
        Assert.Contains("apt-get install openssh-server", ex.Message);
        Assert.Contains("--sshd", Assert.Throws<ServeException>(() => SshdLocator.FindSshd(dir.File("sshd"), null, [])).Message);
    }
}
