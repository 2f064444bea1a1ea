namespace McpSsh.Gateway;

/// <summary>One entry of the desktop-format <c>mcpServers</c> map: how to start a stdio MCP server.</summary>
public sealed record ServerConfig(
    string Name,
    string Command,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    string? Cwd);
