using System.Text.Json;

namespace McpSsh.Gateway;

/// <summary>A servers config that cannot be used: one sentence naming the file, the place and the fix.</summary>
public sealed class GatewayConfigException(string message) : Exception(message);

/// <summary>
/// Reads <c>{"mcpServers": {"NAME": {"command", "args", "env", "cwd", "tools"}}}</c> (the Claude Desktop format, as the
/// Python server does). Unknown fields are reported as warnings; anything that would fail later (a missing
/// command, an executable that cannot be found) fails here, with the file and the server's name.
/// </summary>
public static class ServerCatalog
{
    private static readonly HashSet<string> s_knownFields = ["command", "args", "env", "cwd", ToolFilterConfig.Field];

    public static IReadOnlyList<ServerConfig> Load(string path, List<string> warnings)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigException($"cannot read servers config {path}: {ex.Message}. Give an existing file with --servers-config");
        }

        return Parse(path, text, warnings, ResolveExecutable);
    }

    public static IReadOnlyList<ServerConfig> Parse(string path, string text, List<string> warnings, Func<string, string?, string?> resolveExecutable)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new GatewayConfigException($"servers config {path} is not valid JSON at line {(ex.LineNumber ?? 0) + 1}, column {(ex.BytePositionInLine ?? 0) + 1}: {FirstSentence(ex.Message)}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object && FirstDuplicate(document.RootElement) is "mcpServers")
            {
                throw new GatewayConfigException($"servers config {path} has \"mcpServers\" twice; merge them into one object");
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("mcpServers", out JsonElement servers)
                || servers.ValueKind != JsonValueKind.Object)
            {
                throw new GatewayConfigException($"servers config {path} has no \"mcpServers\" object. Expected {{\"mcpServers\": {{\"NAME\": {{\"command\": \"...\", \"args\": [...]}}}}}}");
            }

            // JsonDocument keeps every duplicate and TryGetProperty answers with one of them: a second entry of
            // the same name would silently replace the first, so it is refused instead.
            if (FirstDuplicate(servers) is { } twice)
            {
                throw new GatewayConfigException($"servers config {path} names server \"{twice}\" twice under \"mcpServers\"; give each server a different name");
            }

            var result = new List<ServerConfig>();
            foreach (JsonProperty server in servers.EnumerateObject())
            {
                result.Add(ParseServer(path, server, warnings, resolveExecutable));
            }

            if (result.Count == 0)
            {
                throw new GatewayConfigException($"servers config {path} lists no servers under \"mcpServers\"");
            }

            return result;
        }
    }

    private static ServerConfig ParseServer(string path, JsonProperty server, List<string> warnings, Func<string, string?, string?> resolveExecutable)
    {
        string name = server.Name;
        string where = $"server \"{name}\" in {path}";
        if (name.Length == 0 || name.Contains("__", StringComparison.Ordinal))
        {
            throw new GatewayConfigException($"{where}: a server name must be non-empty and must not contain \"__\" (used by --prefix-names)");
        }

        JsonElement body = server.Value;
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new GatewayConfigException($"{where} must be an object with a \"command\"");
        }

        if (FirstDuplicate(body) is { } duplicate)
        {
            throw new GatewayConfigException($"{where} has \"{duplicate}\" twice; keep one");
        }

        foreach (JsonProperty field in body.EnumerateObject())
        {
            if (!s_knownFields.Contains(field.Name))
            {
                warnings.Add($"{where}: unknown field \"{field.Name}\" ignored");
            }
        }

        if (!body.TryGetProperty("command", out JsonElement commandElement) || commandElement.ValueKind != JsonValueKind.String || commandElement.GetString()!.Length == 0)
        {
            throw new GatewayConfigException($"{where} has no \"command\" (the program that starts the MCP server)");
        }

        var args = new List<string>();
        if (body.TryGetProperty("args", out JsonElement argsElement))
        {
            if (argsElement.ValueKind != JsonValueKind.Array || argsElement.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                throw new GatewayConfigException($"{where}: \"args\" must be an array of strings");
            }

            args.AddRange(argsElement.EnumerateArray().Select(a => a.GetString()!));
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.TryGetProperty("env", out JsonElement envElement))
        {
            if (envElement.ValueKind != JsonValueKind.Object || envElement.EnumerateObject().Any(e => e.Value.ValueKind != JsonValueKind.String))
            {
                throw new GatewayConfigException($"{where}: \"env\" must be an object of string values");
            }

            foreach (JsonProperty variable in envElement.EnumerateObject())
            {
                if (variable.Name.Length == 0)
                {
                    throw new GatewayConfigException($"{where}: \"env\" has an empty variable name");
                }

                if (variable.Name.Contains('=', StringComparison.Ordinal) || variable.Name.Contains('\0', StringComparison.Ordinal))
                {
                    throw new GatewayConfigException($"{where}: \"env\" variable name \"{variable.Name}\" contains '=' or NUL, which no environment can hold");
                }

                if (!env.TryAdd(variable.Name, variable.Value.GetString()!))
                {
                    throw new GatewayConfigException($"{where}: \"env\" sets \"{variable.Name}\" twice; keep one");
                }
            }
        }

        string? cwd = null;
        if (body.TryGetProperty("cwd", out JsonElement cwdElement))
        {
            cwd = cwdElement.ValueKind == JsonValueKind.String ? cwdElement.GetString() : throw new GatewayConfigException($"{where}: \"cwd\" must be a string (a directory)");
        }
        if (cwd is not null && !Directory.Exists(cwd))
        {
            throw new GatewayConfigException($"{where}: \"cwd\" {cwd} is not a directory");
        }

        string command = commandElement.GetString()!;
        string resolved = resolveExecutable(command, env.GetValueOrDefault("PATH"))
            ?? throw new GatewayConfigException($"{where}: command \"{command}\" was not found (not an executable path, not on PATH). Install it or give its absolute path");
        return new ServerConfig(name, resolved, args, env, cwd) { Tools = ToolFilterConfig.Parse(name, where, body) };
    }

    /// <summary>An absolute or relative path that is a file, or a bare name found on PATH (the server's own PATH first).</summary>
    public static string? ResolveExecutable(string command, string? pathOverride)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            string full = Path.GetFullPath(command);
            return File.Exists(full) ? full : null;
        }

        string path = pathOverride ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, command);
            if (File.Exists(candidate) && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The first property name an object holds twice (exact, as the JSON spells it), or null.</summary>
    private static string? FirstDuplicate(JsonElement obj)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                return property.Name;
            }
        }

        return null;
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
