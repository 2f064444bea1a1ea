using McpSsh.Cli.HostConfig;

namespace McpSsh.Cli.Commands;

/// <summary>Choosing files, reading and writing them, and the one-line errors.</summary>
internal sealed partial class ConfigRunner
{
    private List<ConfigLocation> Targets(string client, ConfigScope scope, bool forWrite)
    {
        if (client == HostClient.Detected)
        {
            List<ConfigLocation> installed = [.. HostClient.All.Where(c => scope == ConfigScope.User || c.HasProjectScope)
                .SelectMany(c => ConfigTable.Locate(c, scope, env, probe, projectDir)).Where(l => l.Installed)];
            return installed.Count > 0 || !forWrite
                ? installed
                : throw new UsageException($"no MCP client found installed here ({string.Join(", ", HostClient.All.Select(c => c.Id))}); name one with --client");
        }

        HostClient chosen = HostClient.Find(client) ?? throw new UsageException($"--client '{client}' is not a client mcp-ssh knows; use one of {HostClient.Names}");
        if (scope == ConfigScope.Project && !chosen.HasProjectScope)
        {
            throw new UsageException($"{chosen.DisplayName} has no project config; use --scope user");
        }

        return [.. ConfigTable.Targets(chosen, scope, env, probe, projectDir)];
    }

    /// <summary>Every file to look at for list and remove: all of a client's, or every client's.</summary>
    private IEnumerable<ConfigLocation> Candidates(string client, IEnumerable<ConfigScope> scopes)
    {
        IEnumerable<HostClient> clients = client == HostClient.Detected ? HostClient.All : HostClient.Find(client) is { } one ? [one] : [];
        return scopes.SelectMany(scope => clients.SelectMany(c => ConfigTable.Locate(c, scope, env, probe, projectDir))).DistinctBy(l => l.Path);
    }

    private int Apply(IEnumerable<(ConfigLocation Location, ConfigFile File, string Text, string Verb)> edits, string name, bool dryRun)
    {
        foreach ((ConfigLocation location, ConfigFile file, string text, string verb) in edits)
        {
            if (dryRun)
            {
                stdout.Write(UnifiedDiff.Render(location.Path, file.Text, text));
                continue;
            }

            try
            {
                string? backup = file.Replace(text);
                stdout.WriteLine($"{char.ToUpperInvariant(verb[0])}{verb[1..]} \"{name}\" in {location.Label}: {location.Path}" + (backup is null ? "" : $" (previous version: {backup})"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ConfigFileException)
            {
                return Fail($"cannot write {location.Path}: {ex.Message}", ExitCodes.Config);
            }
        }

        if (dryRun)
        {
            stderr.WriteLine("mcp-ssh: --dry-run: nothing was written");
        }

        return ExitCodes.Ok;
    }

    private bool TryRead(string path, out ConfigFile? file)
    {
        try
        {
            file = ConfigFile.Read(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ConfigFileException)
        {
            stderr.WriteLine($"mcp-ssh: cannot read {path}: {ex.Message}");
            file = null;
            return false;
        }
    }

    private int Malformed(string path, JsoncException ex) =>
        Fail($"{path}:{ex.Line}:{ex.Column}: {ex.Message}; fix the file and run again (nothing was written)", ExitCodes.Config);

    private int Fail(string message, int code)
    {
        stderr.WriteLine($"mcp-ssh: {message}");
        return code;
    }

    /// <summary>A flag's path as the entry needs it: absolute, ~ expanded (the client starts mcp-ssh without a shell, anywhere).</summary>
    private string ExpandPath(string path) =>
        path == "~" ? env.Home
        : path.StartsWith("~/", StringComparison.Ordinal) || (env.IsWindows && path.StartsWith("~\\", StringComparison.Ordinal)) ? env.Join(env.Home, path[2..])
        : Path.GetFullPath(path, projectDir);

    private static void CheckName(string name)
    {
        if (name.Length == 0 || name.Any(char.IsControl))
        {
            throw new UsageException("NAME must be non-empty text without control characters");
        }
    }

    private static ConfigScope ParseScope(string scope) => scope.ToLowerInvariant() switch
    {
        "user" => ConfigScope.User,
        "project" => ConfigScope.Project,
        _ => throw new UsageException($"--scope '{scope}': use user or project"),
    };

    private static ConfigScope ParseScopeOrUser(string scope) => scope.Equals("project", StringComparison.OrdinalIgnoreCase) ? ConfigScope.Project : ConfigScope.User;

    /// <summary>An argument as a POSIX shell would need it, for display only.</summary>
    private static string ShellWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '@' or ',' or '~' or '+')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
