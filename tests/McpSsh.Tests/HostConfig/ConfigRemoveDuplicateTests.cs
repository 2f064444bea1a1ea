using System.CommandLine;
using McpSsh.Cli;
using McpSsh.Cli.Commands;
using McpSsh.Cli.HostConfig;
using McpSsh.Platform;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.HostConfig;

/// <summary>
/// config remove with a name listed twice: every copy goes (hosts take the last; the earlier one would come back),
/// so every copy must be an mcp-ssh entry, or nothing is written: a user's other server is never deleted by us.
/// </summary>
public sealed class ConfigRemoveDuplicateTests : IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly StringWriter _out = new(), _err = new();

    public void Dispose() => _home.Dispose();

    private int Run(params string[] args)
    {
        HostEnvironment env = HostEnvironment.For(OsFamily.Linux, new Dictionary<string, string> { ["HOME"] = _home.Path });
        Command config = ConfigCommand.Create(() => new ConfigRunner(env, DiskProbe.Instance, _home.File("project"), _out, _err, () => "/opt/bin/mcp-ssh"));
        ParseResult parse = new RootCommand { config }.Parse(["config", .. args]);
        Assert.Empty(parse.Errors);
        return parse.Invoke();
    }

    [Fact]
    public void Remove_NameTwice_OneCopyNotMcpSsh_IsRefusedAndNothingWritten()
    {
        string path = _home.File(".cursor/mcp.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        const string Text = "{\"mcpServers\":{\"w\":{\"command\":\"/usr/bin/other-server\"},\"w\":{\"command\":\"/opt/bin/mcp-ssh\",\"args\":[\"--host\",\"h\"]}}}";
        File.WriteAllText(path, Text);

        Assert.Equal(ExitCodes.Usage, Run("remove", "w", "--client", "cursor"));
        Assert.Equal(Text, File.ReadAllText(path));
        Assert.Contains("does not run mcp-ssh", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_NameTwice_BothMcpSsh_RemovesBoth()
    {
        string path = _home.File(".cursor/mcp.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"mcpServers\":{\"w\":{\"command\":\"/opt/bin/mcp-ssh\",\"args\":[\"--host\",\"a\"]},\"w\":{\"command\":\"/opt/bin/mcp-ssh\",\"args\":[\"--host\",\"b\"]}}}");

        Assert.Equal(0, Run("remove", "w", "--client", "cursor"));
        Assert.Equal("{\"mcpServers\":{}}", File.ReadAllText(path));
    }
}
