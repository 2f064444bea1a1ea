using McpSsh.Cli;
using McpSsh.Cli.Commands;

namespace McpSsh.Tests.Cli;

/// <summary>Issue 11 defect 7e, 12: --sshd-option cannot re-open a shell; --max-startups is checked.</summary>
public class ServeSshdOptionTests
{
    private static ServeSettings Parse(params string[] args)
    {
        var parse = ServeCommand.Create((_, _) => Task.FromResult(0)).Parse(LegacyArgs.Normalize(args, [.. ServeCommand.All.Select(o => o.Name)]));
        Assert.Empty(parse.Errors);
        return ServeSettings.From(parse, _ => null);
    }

    [Theory]
    [InlineData("Match=User root", "Match")]
    [InlineData("match=all", "match")]
    [InlineData("Include=/etc/ssh/sshd_config.d/*.conf", "Include")]
    [InlineData("ForceCommand=/bin/sh", "ForceCommand")]
    [InlineData("AuthorizedKeysFile=/tmp/keys", "AuthorizedKeysFile")]
    [InlineData("PermitTTY=yes", "PermitTTY")]
    [InlineData("Subsystem=sftp /usr/lib/openssh/sftp-server", "Subsystem")]
    [InlineData("AuthorizedKeysCommand=/bin/sh", "AuthorizedKeysCommand")]
    public void KeywordsThatCouldOverrideServe_AreRefused(string option, string keyword)
    {
        var ex = Assert.Throws<UsageException>(() => Parse("--sshd-option", option));
        Assert.Contains($"--sshd-option {keyword}", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Theory]
    [InlineData("MaxAuthTries=3\nMatch all")]
    [InlineData("MaxAuthTries=3\rForceCommand /bin/sh")]
    [InlineData("Banner=/etc/issue\u0000")]
    [InlineData("Max\tAuthTries=3")]
    [InlineData("MaxAuthTries 3=4")]
    public void ControlCharactersAndNewlines_AreRefused(string option)
    {
        var ex = Assert.Throws<UsageException>(() => Parse("--sshd-option", option));
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\r', ex.Message);
    }

    [Fact]
    public void HarmlessKeywords_StillPass()
    {
        Assert.Equal([("StrictModes", "no"), ("MaxAuthTries", "3"), ("LoginGraceTime", "20")],
            Parse("--sshd-option", "StrictModes=no", "--sshd-option", "MaxAuthTries=3", "--sshd-option", "LoginGraceTime=20").SshdOptions);
    }

    [Fact]
    public void MaxStartups_HasADefault_AndMustBePositive()
    {
        Assert.Equal(100, Parse().MaxStartups);
        Assert.Equal(300, Parse("--max-startups", "300").MaxStartups);
        Assert.Throws<UsageException>(() => Parse("--max-startups", "0"));
        Assert.Contains("--max-startups", Assert.Throws<UsageException>(() => Parse("--sshd-option", "MaxStartups=20")).Message);
    }
}
