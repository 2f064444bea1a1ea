using System.Security.Cryptography;
using System.Text;
using McpSsh.Ssh.Config;

namespace McpSsh.Tests.Config;

public class SshConfigTokensTests
{
    private static readonly SshConfigTokens s_tokens =
        new(new SshConfigContext("Build", "alice", "/home/alice", "laptop.lan"), "build.example", 2222, "deploy", HostKeyAlias: null);

    [Theory]
    [InlineData("~/.ssh/id_%r@%h:%p", "/home/alice/.ssh/id_deploy@build.example:2222")]
    [InlineData("/keys/%u-%l-%L-%n-%k-%%", "/keys/alice-laptop.lan-laptop-Build-build.example-%")]
    [InlineData("~", "/home/alice")]
    [InlineData("%d/x", "/home/alice/x")]
    [InlineData("no tokens", "no tokens")]
    public void ExpandPath_ExpandsTildeAndTokens(string value, string expected) =>
        Assert.Equal(expected, s_tokens.ExpandPath(value, "IdentityFile"));

    [Fact]
    public void ExpandPath_PercentC_IsTheSha1OfLocalHostPortUser()
    {
        string expected = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("laptop.lanbuild.example2222deploy")));
        Assert.Equal(expected, s_tokens.ExpandPath("%C", "ControlPath"));
    }

    [Fact]
    public void ExpandPath_HostKeyAlias_ReplacesTheHostInPercentK() =>
        Assert.Equal("pinned", (s_tokens with { HostKeyAlias = "pinned" }).ExpandPath("%k", "UserKnownHostsFile"));

    [Theory]
    [InlineData("%z")]
    [InlineData("trailing%")]
    public void ExpandPath_UnknownOrLoneToken_IsAnError(string value)
    {
        var ex = Assert.Throws<FormatException>(() => s_tokens.ExpandPath(value, "IdentityFile"));
        Assert.Contains("IdentityFile", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpandHostName_OnlyKnowsPercentH() =>
        Assert.Equal("Build.lab%", SshConfigTokens.ExpandHostName("%h.lab%%", "Build"));
}
