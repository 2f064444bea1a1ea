using McpSsh.Cli;
using McpSsh.Cli.Commands;
using McpSsh.Ssh;
using Microsoft.Extensions.Logging;

namespace McpSsh.Tests.Cli;

public class ClientSettingsTests
{
    private static ClientSettings Parse(params string[] args) => Parse(_ => null, args);

    private static ClientSettings Parse(Func<string, string?> environment, params string[] args)
    {
        var root = ClientCommand.Create((_, _) => Task.FromResult(0));
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        return ClientSettings.From(parse, environment);
    }

    [Fact]
    public void Defaults_MatchThePythonClient()
    {
        ClientSettings s = Parse();
        string home = PathExpansion.Home;
        Assert.Equal("localhost", s.Ssh.Host);
        Assert.Equal(8022, s.Ssh.Port);
        Assert.Equal("mcp", s.Ssh.Username);
        Assert.Equal(Path.Combine(home, ".ssh/m2m_mcp_server_ssh_client"), s.Ssh.PrivateKeyPath);
        Assert.Equal(Path.Combine(home, ".ssh/known_hosts"), s.Ssh.KnownHostsPath);
        Assert.Equal(HostKeyPolicy.Strict, s.Ssh.HostKeyPolicy);
        Assert.Equal(LogLevel.Information, s.LogLevel);
        Assert.Equal(TimeSpan.FromSeconds(15), s.Ssh.ConnectTimeout);
        Assert.Equal(64L * 1024 * 1024, s.MaxFrameBytes);
        Assert.True(s.GenerateMissingKey);
        Assert.Null(s.Ssh.RemoteCommand);
        Assert.Empty(s.Warnings);
    }

    [Theory]
    [InlineData("--known-hosts", "/x", "--disable-host-key-checking")]
    [InlineData("--known-hosts", "/x", "--use-key-server")]
    [InlineData("--disable-host-key-checking", "--use-key-server", null)]
    public void HostKeyFlags_AreMutuallyExclusive(string a, string b, string? c)
    {
        string[] args = c is null ? [a, b] : [a, b, c];
        UsageException ex = Assert.Throws<UsageException>(() => Parse(args));
        Assert.Contains("cannot be combined", ex.Message);
    }

    [Fact]
    public void AcceptNew_WithDisabledChecking_IsRejected()
    {
        Assert.Throws<UsageException>(() => Parse("--accept-new", "--disable-host-key-checking"));
    }

    [Fact]
    public void UseKeyServer_TakesPortAndToken_AndGeneratesAMissingKeyAnywhere()
    {
        ClientSettings s = Parse(name => name == ClientSettings.KeyServerTokenVariable ? "tok" : null,
            "--use-key-server", "--key-server-port", "9000", "--client-key", "/tmp/elsewhere/key");
        Assert.True(s.UseKeyServer);
        Assert.Equal(9000, s.KeyServerPort);
        Assert.Equal("tok", s.KeyServerToken);
        Assert.True(s.GenerateMissingKey);
        Assert.Equal(HostKeyPolicy.Strict, s.Ssh.HostKeyPolicy);
        Assert.Empty(s.Warnings);
        Assert.False(Parse("--client-key", "/tmp/elsewhere/key").GenerateMissingKey);
    }

    [Fact]
    public void KeyServerPortWithoutKeyServer_Warns()
    {
        Assert.Contains(Parse("--key-server-port", "9000").Warnings, w => w.Contains("--key-server-port has no effect"));
    }

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("Warning", LogLevel.Warning)]
    [InlineData("CRITICAL", LogLevel.Critical)]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("error", LogLevel.Error)]
    public void LogLevel_AnyCase(string given, LogLevel expected)
    {
        Assert.Equal(expected, Parse("--log-level", given).LogLevel);
    }

    [Fact]
    public void LogLevel_Unknown_IsAUsageError()
    {
        Assert.Contains("TRACE, DEBUG, INFO", Assert.Throws<UsageException>(() => Parse("--log-level", "loud")).Message);
    }

    [Fact]
    public void Passphrase_Sources()
    {
        Assert.Equal("from-env", Parse(n => n == "MCP_SSH_PASSPHRASE" ? "from-env" : null).Ssh.Passphrase);

        ClientSettings inline = Parse(n => n == "MCP_SSH_PASSPHRASE" ? "from-env" : null, "--passphrase", "inline");
        Assert.Equal("inline", inline.Ssh.Passphrase);
        Assert.Contains(inline.Warnings, w => w.Contains("visible to other users in process lists"));

        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "from-file\nsecond line ignored\n");
            ClientSettings fromFile = Parse(n => n == "MCP_SSH_PASSPHRASE" ? "from-env" : null, "--passphrase-file", file);
            Assert.Equal("from-file", fromFile.Ssh.Passphrase);
            Assert.Empty(fromFile.Warnings);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Throws<UsageException>(() => Parse("--passphrase", "a", "--passphrase-file", file));
    }

    [Fact]
    public void Paths_TildeIsExpanded_NonDefaultKeyIsNotGenerated()
    {
        ClientSettings s = Parse("--client-key", "~/keys/id", "--known-hosts", "~/kh", "--accept-new");
        Assert.Equal(Path.Combine(PathExpansion.Home, "keys/id"), s.Ssh.PrivateKeyPath);
        Assert.Equal(Path.Combine(PathExpansion.Home, "kh"), s.Ssh.KnownHostsPath);
        Assert.False(s.GenerateMissingKey);
        Assert.Equal(HostKeyPolicy.AcceptNew, s.Ssh.HostKeyPolicy);
    }

    [Theory]
    [InlineData("--port", "0")]
    [InlineData("--port", "70000")]
    [InlineData("--connect-timeout", "0")]
    [InlineData("--max-frame-bytes", "10")]
    [InlineData("--remote-command", " ")]
    public void BadValues_AreUsageErrors(string flag, string value)
    {
        Assert.Throws<UsageException>(() => Parse(flag, value));
    }

    [Fact]
    public void Help_EveryOptionIsDescribedAndPythonFlagsAreMarked()
    {
        string[] python = ["--host", "--port", "--username", "--client-key", "--known-hosts", "--passphrase", "--disable-host-key-checking", "--use-key-server", "--key-server-port", "--log-level"];
        foreach (var option in ClientOptions.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(option.Description), option.Name);
            Assert.False(option.Description!.EndsWith('.'), $"{option.Name}: help text has no trailing period");
            Assert.Equal(python.Contains(option.Name), option.Description.Contains("Python-compatible"));
        }

        Assert.Equal(ClientOptions.All.Count(), ClientOptions.All.Select(o => o.Name).Distinct().Count());
    }
}
