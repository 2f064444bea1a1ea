using McpSsh.Server.Sshd;
using Microsoft.Extensions.Logging;

namespace McpSsh.Tests.Server;

/// <summary>Issue 11 defects 7d, 9, 12: one session per connection, dead clients noticed, handshakes sized, % escaped.</summary>
public class SshdConfigLimitsTests
{
    private static SshdConfig Config(string stateDir = "/var/lib/mcp") => new()
    {
        ListenAddress = "127.0.0.1",
        Port = 8022,
        HostKeyPath = stateDir + "/host_key",
        AuthorizedKeysFiles = ["/home/mcp/.ssh/authorized_keys", stateDir + "/registered_keys"],
        AllowUser = "mcp",
        ForceCommand = "/usr/bin/mcp-ssh gateway",
        PidFile = stateDir + "/sshd.pid",
        LogLevel = LogLevel.Information,
    };

    [Fact]
    public void Render_OneSessionPerConnection_AndClientAlive()
    {
        string[] lines = Config().Render().Split('\n');
        Assert.Contains("MaxSessions 1", lines);
        Assert.Contains("ClientAliveInterval 15", lines);
        Assert.Contains("ClientAliveCountMax 3", lines);
    }

    [Fact]
    public void Render_MaxStartups_DefaultsToHundred_AndFollowsTheSetting()
    {
        Assert.Contains("MaxStartups 100:30:200", Config().Render().Split('\n'));
        Assert.Contains("MaxStartups 250:30:500", (Config() with { MaxStartups = 250 }).Render().Split('\n'));
    }

    [Fact]
    public void Render_PercentInAPath_IsEscapedWhereSshdExpandsTokens()
    {
        string[] lines = Config("/srv/100%done").Render().Split('\n');
        Assert.Contains("AuthorizedKeysFile /home/mcp/.ssh/authorized_keys /srv/100%%done/registered_keys", lines);
        Assert.Contains("HostKey /srv/100%done/host_key", lines); // HostKey and PidFile take no tokens
    }
}
