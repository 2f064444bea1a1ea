using McpSsh.Cli;
using McpSsh.Cli.Commands;
using Microsoft.Extensions.Logging;

namespace McpSsh.Tests.Cli;

public class ServeSettingsTests
{
    private static ServeSettings Parse(params string[] args) => Parse(_ => null, args);

    private static ServeSettings Parse(Func<string, string?> environment, params string[] args)
    {
        var parse = ServeCommand.Create((_, _) => Task.FromResult(0)).Parse(LegacyArgs.Normalize(args, [.. ServeCommand.All.Select(o => o.Name)]));
        Assert.Empty(parse.Errors);
        return ServeSettings.From(parse, environment);
    }

    [Fact]
    public void Defaults_MatchThePythonServer()
    {
        ServeSettings s = Parse();
        string home = PathExpansion.Home;
        Assert.Equal("127.0.0.1", s.Host);
        Assert.Equal(8022, s.Port);
        Assert.Equal(Path.Combine(home, ".ssh/authorized_keys"), s.AuthorizedClients);
        Assert.False(s.AuthorizedClientsGiven);
        Assert.Equal(Path.Combine(home, ".ssh/m2m_mcp_server_ssh_server"), s.ServerKey);
        Assert.Equal(Path.GetFullPath("servers_config.json"), s.ServersConfig);
        Assert.Equal(LogLevel.Information, s.LogLevel);
        Assert.False(s.RunKeyServer);
        Assert.Equal(("127.0.0.1", 8000, 10), (s.KeyServerHost, s.KeyServerPort, s.KeyServerRate));
        Assert.Null(s.KeyServerToken);
        Assert.Equal(Path.Combine(home, ".local/state/mcp-ssh"), s.StateDir);
        Assert.Equal(Environment.UserName, s.AllowUser);
        Assert.Empty(s.Warnings);
    }

    [Fact]
    public void PythonSpellings_PrefixesAndEquals_Work()
    {
        ServeSettings s = Parse("--run-key", "--key-server-port=9000", "--servers", "/etc/mcp.json", "--log-level", "debug");
        Assert.True(s.RunKeyServer);
        Assert.Equal(9000, s.KeyServerPort);
        Assert.Equal("/etc/mcp.json", s.ServersConfig);
        Assert.Equal(LogLevel.Debug, s.LogLevel);
    }

    [Fact]
    public void KeyServerFlags_WithoutTheKeyServer_Warn_AndTheTokenComesFromTheEnvironment()
    {
        Assert.Contains(Parse("--key-server-port", "9000").Warnings, w => w == "--key-server-port has no effect without --run-key-server");
        ServeSettings s = Parse(name => name == ServeCommand.TokenVariable ? "s3cret" : null, "--run-key-server");
        Assert.Equal("s3cret", s.KeyServerToken);
        Assert.Empty(s.Warnings);
        Assert.Contains(Parse("--run-key-server", "--key-server-token", "x").Warnings, w => w.Contains("visible to other users"));
    }

    [Fact]
    public void SshdOptions_AreKeyValuePairs()
    {
        Assert.Equal([("StrictModes", "no"), ("MaxAuthTries", "3")], Parse("--sshd-option", "StrictModes=no", "--sshd-option", "MaxAuthTries=3").SshdOptions);
        Assert.Throws<UsageException>(() => Parse("--sshd-option", "StrictModes"));
        Assert.Throws<UsageException>(() => Parse("--port", "70000"));
    }

    [Fact]
    public void GatewayCommandLine_IsThisBinaryWithAbsoluteQuotedPaths()
    {
        ServeSettings s = Parse("--servers-config", "/etc/my servers.json", "--prefix-names", "--log-level", "warning");
        Assert.Equal("/opt/mcp-ssh/mcp-ssh gateway --servers-config '/etc/my servers.json' --log-level WARN --prefix-names --init-timeout 30",
            s.GatewayCommandLine("/opt/mcp-ssh/mcp-ssh"));
    }
}
