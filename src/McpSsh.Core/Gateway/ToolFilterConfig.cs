using System.Text.Json;
using McpSsh.Filtering;

namespace McpSsh.Gateway;

/// <summary>
/// Reads a server's <c>"tools": {"allow": [GLOB...], "deny": [GLOB...]}</c> from the servers config. Anything
/// unexpected is an error, not a warning: a misspelt <c>"deny"</c> would silently expose the tools it meant to hide.
/// </summary>
internal static class ToolFilterConfig
{
    public const string Field = "tools";
    private const string Shape = "{\"allow\": [\"GLOB\", ...], \"deny\": [\"GLOB\", ...]}";

    /// <param name="server">The server's name, which refusals quote.</param>
    /// <param name="where">Names the server and the file, e.g. <c>server "files" in /etc/servers.json</c>.</param>
    public static ToolFilter Parse(string server, string where, JsonElement body)
    {
        if (!body.TryGetProperty(Field, out JsonElement tools))
        {
            return ToolFilter.None;
        }

        if (tools.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayConfigException($"{where}: \"tools\" must be an object like {Shape}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty member in tools.EnumerateObject())
        {
            if (member.Name is not ("allow" or "deny"))
            {
                throw new GatewayConfigException($"{where}: \"tools\" has unknown field \"{member.Name}\"; only \"allow\" and \"deny\" are read ({Shape})");
            }

            if (!seen.Add(member.Name))
            {
                throw new GatewayConfigException($"{where}: \"tools\" has \"{member.Name}\" twice; merge the globs into one list");
            }
        }

        IReadOnlyList<ToolGlob> allow = Globs(where, tools, "allow");
        if (tools.TryGetProperty("allow", out _) && allow.Count == 0)
        {
            throw new GatewayConfigException($"{where}: \"tools.allow\" is empty, which would hide every tool; remove \"allow\" to allow all tools, or deny \"*\"");
        }

        return new ToolFilter(allow, Globs(where, tools, "deny"), "\"tools.allow\"", "\"tools.deny\"") { Server = server };
    }

    private static IReadOnlyList<ToolGlob> Globs(string where, JsonElement tools, string list)
    {
        if (!tools.TryGetProperty(list, out JsonElement array))
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(g => g.ValueKind != JsonValueKind.String))
        {
            throw new GatewayConfigException($"{where}: \"tools.{list}\" must be an array of glob strings (* any run of characters, ? one character)");
        }

        var globs = new List<ToolGlob>();
        foreach (JsonElement text in array.EnumerateArray())
        {
            if (!ToolGlob.TryParse(text.GetString()!, out ToolGlob glob, out string? error))
            {
                throw new GatewayConfigException($"{where}: \"tools.{list}\" has {error}; remove it or write a tool name glob such as \"read_*\"");
            }

            globs.Add(glob);
        }

        return globs;
    }
}
