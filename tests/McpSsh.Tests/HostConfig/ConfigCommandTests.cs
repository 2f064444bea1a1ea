using System.CommandLine;
using McpSsh.Cli;
using McpSsh.Cli.Commands;
using McpSsh.Cli.HostConfig;
using McpSsh.Platform;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.HostConfig;

/// <summary>config add/list/remove over real files in a temp HOME (Linux rows of the table).</summary>
public sealed class ConfigCommandTests : IDisposable
{
    private const string Self = "/opt/homebrew/bin/mcp-ssh";
    private readonly TempDirectory _home = new();
    private readonly StringWriter _out = new(), _err = new();

    public void Dispose() => _home.Dispose();

    private int Run(params string[] args)
    {
        HostEnvironment env = HostEnvironment.For(OsFamily.Linux, new Dictionary<string, string> { ["HOME"] = _home.Path });
        Command config = ConfigCommand.Create(() => new ConfigRunner(env, DiskProbe.Instance, _home.File("project"), _out, _err, () => Self));
        var root = new RootCommand { config };
        ParseResult parse = root.Parse(["config", .. args]);
        Assert.Empty(parse.Errors);
        return parse.Invoke();
    }

    private string ClaudeJson => _home.File(".claude.json");

    [Fact]
    public void AddListRemove_OnARealFile_LeavesItByteIdentical_WithBackupAndMode()
    {
        byte[] original = File.ReadAllBytes(HostConfigGoldenTests.Golden("claude-code.before.json"));
        File.WriteAllBytes(ClaudeJson, original);
        File.SetUnixFileMode(ClaudeJson, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        Assert.Equal(0, Run("add", "work", "--client", "claude-code", "--host", "example.org", "--port", "2222", "--client-key", "~/keys/id", "--accept-new"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(ClaudeJson));
        Assert.Equal(original, File.ReadAllBytes(ClaudeJson + ".bak"));
        Assert.Contains($"\"args\": [\n        \"--host\",\n        \"example.org\",\n        \"--port\",\n        \"2222\",\n        \"--client-key\",\n        \"{_home.Path}/keys/id\",\n        \"--accept-new\"\n      ]",
            File.ReadAllText(ClaudeJson), StringComparison.Ordinal);

        Assert.Equal(0, Run("list", "--client", "claude-code"));
        Assert.Contains($"claude-code (user): {ClaudeJson}\n  work  {Self} --host example.org --port 2222 --client-key {_home.Path}/keys/id --accept-new\n", _out.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("  foo ", _out.ToString(), StringComparison.Ordinal); // /bin/true is not an mcp-ssh entry

        Assert.Equal(0, Run("remove", "work", "--client", "claude-code"));
        Assert.Equal(original, File.ReadAllBytes(ClaudeJson));
    }

    [Fact]
    public void Add_ExistingName_RefusedWithoutForce_NothingWritten()
    {
        Assert.Equal(0, Run("add", "work", "--client", "cursor", "--host", "a"));
        byte[] first = File.ReadAllBytes(_home.File(".cursor/mcp.json"));

        Assert.Equal(ExitCodes.Usage, Run("add", "work", "--client", "cursor", "--host", "b"));
        Assert.Contains("already has an entry \"work\"", _err.ToString(), StringComparison.Ordinal);
        Assert.Contains("--force", _err.ToString(), StringComparison.Ordinal);
        Assert.Equal(first, File.ReadAllBytes(_home.File(".cursor/mcp.json")));

        Assert.Equal(0, Run("add", "work", "--client", "cursor", "--host", "b", "--force"));
        Assert.Contains("\"b\"", File.ReadAllText(_home.File(".cursor/mcp.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Add_DryRun_PrintsADiff_WritesNothing()
    {
        File.WriteAllText(ClaudeJson, "{\n  \"mcpServers\": {}\n}\n");

        Assert.Equal(0, Run("add", "work", "lab-box", "--client", "claude-code", "--dry-run"));

        Assert.Equal("{\n  \"mcpServers\": {}\n}\n", File.ReadAllText(ClaudeJson));
        Assert.False(File.Exists(ClaudeJson + ".bak"));
        Assert.Contains($"--- {ClaudeJson}\n+++ {ClaudeJson}\n@@ -1,3 +1,13 @@\n {{\n-  \"mcpServers\": {{}}\n+  \"mcpServers\": {{\n+    \"work\": {{\n", _out.ToString(), StringComparison.Ordinal);
        Assert.Contains("+        \"--host\",\n+        \"lab-box\"\n", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Add_MalformedFile_OneLineWithLineAndColumn_NothingWritten()
    {
        string vscode = _home.File(".config/Code/User/mcp.json");
        Directory.CreateDirectory(Path.GetDirectoryName(vscode)!);
        File.WriteAllText(vscode, "{\n  \"servers\": {\n    \"a\": {}\n    \"b\": {}\n  }\n}\n");

        Assert.Equal(ExitCodes.Config, Run("add", "work", "--client", "vscode", "--host", "h"));

        Assert.Equal($"mcp-ssh: {vscode}:4:5: expected ',' or '}}' after a member; fix the file and run again (nothing was written)\n", _err.ToString());
        Assert.False(File.Exists(vscode + ".bak"));
    }

    [Fact]
    public void Add_Detected_WritesEveryInstalledClient_Only()
    {
        Directory.CreateDirectory(_home.File(".cursor"));
        Directory.CreateDirectory(_home.File(".codeium/windsurf"));

        Assert.Equal(0, Run("add", "work", "--client", "detected", "--host", "h"));

        Assert.True(File.Exists(_home.File(".cursor/mcp.json")));
        Assert.True(File.Exists(_home.File(".codeium/windsurf/mcp_config.json")));
        Assert.False(File.Exists(ClaudeJson));
        Assert.False(Directory.Exists(_home.File(".config")));
    }

    [Theory]
    [InlineData("--passphrase", "s3cret", "--passphrase-file")]
    [InlineData("--key-server-token", "t0ken", "MCP_SSH_KEY_SERVER_TOKEN")]
    public void Add_Secrets_AreRefused(string flag, string value, string advice)
    {
        Assert.Equal(ExitCodes.Usage, Run("add", "work", "--client", "cursor", "--host", "h", flag, value));

        Assert.Contains(advice, _err.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(value, _err.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(_home.File(".cursor/mcp.json")));
    }

    [Fact]
    public void Remove_AnEntryThatIsNotMcpSsh_IsRefused()
    {
        File.WriteAllBytes(ClaudeJson, File.ReadAllBytes(HostConfigGoldenTests.Golden("claude-code.before.json")));

        Assert.Equal(ExitCodes.Usage, Run("remove", "foo", "--client", "claude-code"));
        Assert.Contains("does not run mcp-ssh", _err.ToString(), StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, Run("remove", "absent"));
        Assert.Contains("no mcp-ssh entry \"absent\"", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Add_ProjectScope_WritesTheProjectFile()
    {
        Assert.Equal(0, Run("add", "work", "--client", "claude-code", "--scope", "project", "--host", "h"));

        Assert.True(File.Exists(_home.File("project/.mcp.json")));
        Assert.Equal(ExitCodes.Usage, Run("add", "work", "--client", "windsurf", "--scope", "project", "--host", "h"));
    }

    [Fact]
    public void Add_ThroughASymlinkedFile_EditsTheTarget_LinkStays()
    {
        string real = _home.File("dotfiles-claude.json");
        File.WriteAllText(real, "{}");
        File.CreateSymbolicLink(ClaudeJson, real);

        Assert.Equal(0, Run("add", "work", "--client", "claude-code", "--host", "h"));

        Assert.NotNull(new FileInfo(ClaudeJson).LinkTarget);
        Assert.Contains("\"work\"", File.ReadAllText(real), StringComparison.Ordinal);
    }

    [Fact]
    public void List_AMalformedFile_IsReported_OthersStillListed_UnknownClientIsAUsageError()
    {
        File.WriteAllText(ClaudeJson, "{\n  \"mcpServers\": {\n");
        Assert.Equal(0, Run("add", "work", "--client", "cursor", "--host", "h"));

        Assert.Equal(ExitCodes.Config, Run("list"));
        Assert.Contains($"mcp-ssh: {ClaudeJson}:3:1: unexpected end of file inside an object", _err.ToString(), StringComparison.Ordinal);
        Assert.Contains("  work  " + Self + " --host h", _out.ToString(), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Usage, Run("list", "--client", "emacs"));
        Assert.Contains("--client 'emacs' is not a client mcp-ssh knows", _err.ToString(), StringComparison.Ordinal);
    }
}
