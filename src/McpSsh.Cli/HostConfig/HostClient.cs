namespace McpSsh.Cli.HostConfig;

/// <summary>
/// An MCP host whose server list `mcp-ssh config` edits: its command-line id, the member that holds the servers,
/// whether the file is JSONC (comments, trailing commas) and the fields of a stdio entry. Where each keeps its file is
/// in <see cref="ConfigTable"/>.
/// </summary>
internal sealed record HostClient(string Id, string DisplayName, string ContainerKey, bool Jsonc, bool TypeStdio, bool EmptyEnv, bool HasProjectScope)
{
    // https://modelcontextprotocol.io/quickstart/user: {"mcpServers": {NAME: {"command", "args", "env"}}}; started
    // without a shell, so the command is an absolute path.
    public static readonly HostClient ClaudeDesktop = new("claude-desktop", "Claude Desktop", "mcpServers", Jsonc: false, TypeStdio: false, EmptyEnv: false, HasProjectScope: false);

    // https://code.claude.com/docs/en/mcp: user scope is the top-level "mcpServers" of ~/.claude.json, project scope
    // .mcp.json; `claude mcp add` 2.1.328 writes {"type": "stdio", "command", "args", "env": {}} (checked).
    public static readonly HostClient ClaudeCode = new("claude-code", "Claude Code", "mcpServers", Jsonc: false, TypeStdio: true, EmptyEnv: true, HasProjectScope: true);

    // https://cursor.com/docs/mcp: ~/.cursor/mcp.json (global) and .cursor/mcp.json (project), "mcpServers".
    public static readonly HostClient Cursor = new("cursor", "Cursor", "mcpServers", Jsonc: false, TypeStdio: false, EmptyEnv: false, HasProjectScope: true);

    // https://code.visualstudio.com/docs/copilot/reference/mcp-configuration: mcp.json in the user profile or
    // .vscode/mcp.json, top-level "servers" (beside "inputs"), "type": "stdio" required; VS Code reads it as JSONC.
    public static readonly HostClient VsCode = new("vscode", "VS Code", "servers", Jsonc: true, TypeStdio: true, EmptyEnv: false, HasProjectScope: true);

    // https://docs.windsurf.com/windsurf/cascade/mcp: ~/.codeium/windsurf/mcp_config.json (also on Windows, below
    // %USERPROFILE%), "mcpServers".
    public static readonly HostClient Windsurf = new("windsurf", "Windsurf", "mcpServers", Jsonc: false, TypeStdio: false, EmptyEnv: false, HasProjectScope: false);

    // https://zed.dev/docs/ai/mcp: "context_servers": {NAME: {"command", "args", "env"}} in settings.json (JSONC);
    // project settings live in .zed/settings.json.
    public static readonly HostClient Zed = new("zed", "Zed", "context_servers", Jsonc: true, TypeStdio: false, EmptyEnv: true, HasProjectScope: true);

    public static IReadOnlyList<HostClient> All { get; } = [ClaudeDesktop, ClaudeCode, Cursor, VsCode, Windsurf, Zed];

    /// <summary>The value of --client that means every client installed here.</summary>
    public const string Detected = "detected";

    public static string Names => string.Join(", ", All.Select(c => c.Id)) + " or " + Detected;

    public static HostClient? Find(string id) => All.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
}
