namespace McpSsh.Gateway;

/// <summary>One entry of the desktop-format <c>mcpServers</c> map: how to start a stdio MCP server.</summary>
public sealed record ServerConfig(
    string Name,
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    string? Cwd)
{
    /// <summary>The server's <c>"tools": {"allow", "deny"}</c> globs; filtered tools never reach the host.</summary>
    public Filtering.ToolFilter Tools { get; init; } = Filtering.ToolFilter.None;
}
