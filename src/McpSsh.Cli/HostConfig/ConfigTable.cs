using McpSsh.Platform;

namespace McpSsh.Cli.HostConfig;

/// <summary>
/// The one table of where each client keeps its server list, per OS and scope, computed from a
/// <see cref="HostEnvironment"/> (OS, variables, home) and a probe of the file system, so the Windows and macOS rows
/// are unit-tested on Linux. Sources are cited on each client in <see cref="HostClient"/>.
/// </summary>
internal static class ConfigTable
{
    /// <summary>
    /// Every file the client may read for <paramref name="scope"/>, the likeliest first. Claude Desktop on Windows comes
    /// packaged (MSIX: the Microsoft Store build, and since February 2026 the claude.ai installer too) or unpackaged (older
    /// installers). A packaged Claude reads only its package's virtualised copy,
    /// %LOCALAPPDATA%\Packages\Claude_&lt;id&gt;\LocalCache\Roaming\Claude, never %APPDATA%\Claude (anthropics/claude-code#26073,
    /// https://github.com/anthropics/claude-code/issues/26073; akitaonrails/ai-memory#250): when a Claude_* package
    /// exists, only its file counts as installed; %APPDATA%\Claude is still listed, so `config list` shows a stale copy.
    /// </summary>
    public static IReadOnlyList<ConfigLocation> Locate(HostClient client, ConfigScope scope, HostEnvironment env, IFileProbe probe, string projectDir)
    {
        if (scope == ConfigScope.Project)
        {
            string? relative = client.Id switch
            {
                "claude-code" => ".mcp.json",
                "cursor" => env.Join(".cursor", "mcp.json"),
                "vscode" => env.Join(".vscode", "mcp.json"),
                "zed" => env.Join(".zed", "settings.json"),
                _ => null,
            };
            return relative is null ? [] : [new ConfigLocation(client, scope, env.Join(projectDir, relative), Installed: true)];
        }

        string home = env.Home;
        switch (client.Id)
        {
            case "claude-desktop":
                return ClaudeDesktop(client, env, probe);
            case "claude-code":
                // Claude Code keeps ~/.claude.json beside ~/.claude, or both in $CLAUDE_CONFIG_DIR when that is set.
                string dir = env.Get("CLAUDE_CONFIG_DIR") ?? home;
                string file = env.Join(dir, ".claude.json");
                return [new ConfigLocation(client, scope, file, probe.Exists(file) || probe.Exists(env.Join(home, ".claude")) || env.Get("CLAUDE_CONFIG_DIR") is not null)];
            case "cursor":
                return [new ConfigLocation(client, scope, env.Join(home, ".cursor", "mcp.json"), probe.Exists(env.Join(home, ".cursor")))];
            case "vscode":
                string user = env.Os switch
                {
                    OsFamily.Windows => env.Join(AppData(env), "Code", "User"),
                    OsFamily.MacOS => env.Join(home, "Library", "Application Support", "Code", "User"),
                    _ => env.Join(XdgConfig(env), "Code", "User"),
                };
                return [new ConfigLocation(client, scope, env.Join(user, "mcp.json"), probe.Exists(user))];
            case "windsurf":
                string windsurf = env.Join(home, ".codeium", "windsurf");
                return [new ConfigLocation(client, scope, env.Join(windsurf, "mcp_config.json"), probe.Exists(windsurf))];
            case "zed":
                // Zed reads ~/.config/zed on macOS too (not Application Support); on Windows %APPDATA%\Zed.
                string zed = env.Os switch
                {
                    OsFamily.Windows => env.Join(AppData(env), "Zed"),
                    OsFamily.MacOS => env.Join(home, ".config", "zed"),
                    _ => env.Join(XdgConfig(env), "zed"),
                };
                return [new ConfigLocation(client, scope, env.Join(zed, "settings.json"), probe.Exists(zed))];
            default:
                throw new ArgumentOutOfRangeException(nameof(client), client.Id, "no row in the table");
        }
    }

    /// <summary>
    /// The files to write for one client: those whose client is installed, or the likeliest one when none is (the
    /// client may be installed later, or runs where we cannot see it).
    /// </summary>
    public static IReadOnlyList<ConfigLocation> Targets(HostClient client, ConfigScope scope, HostEnvironment env, IFileProbe probe, string projectDir)
    {
        IReadOnlyList<ConfigLocation> all = Locate(client, scope, env, probe, projectDir);
        List<ConfigLocation> installed = [.. all.Where(l => l.Installed)];
        return installed.Count > 0 ? installed : [.. all.Take(1)];
    }

    private static IReadOnlyList<ConfigLocation> ClaudeDesktop(HostClient client, HostEnvironment env, IFileProbe probe)
    {
        const string File = "claude_desktop_config.json";
        switch (env.Os)
        {
            case OsFamily.MacOS:
                string mac = env.Join(env.Home, "Library", "Application Support", "Claude");
                return [new ConfigLocation(client, ConfigScope.User, env.Join(mac, File), probe.Exists(mac))];
            case OsFamily.Linux:
                string linux = env.Join(XdgConfig(env), "Claude");
                return [new ConfigLocation(client, ConfigScope.User, env.Join(linux, File), probe.Exists(linux))];
            default:
                var locations = new List<ConfigLocation>();
                string packages = env.Join(LocalAppData(env), "Packages");
                foreach (string package in probe.DirectoriesStartingWith(packages, "Claude_"))
                {
                    string store = env.Join(packages, package, "LocalCache", "Roaming", "Claude");
                    locations.Add(new ConfigLocation(client, ConfigScope.User, env.Join(store, File), Installed: true, Variant: "MSIX package"));
                }

                string regular = env.Join(AppData(env), "Claude");
                locations.Add(new ConfigLocation(client, ConfigScope.User, env.Join(regular, File), locations.Count == 0 && probe.Exists(regular)));
                return locations;
        }
    }

    private static string AppData(HostEnvironment env) => env.Get("APPDATA") ?? env.Join(env.Home, "AppData", "Roaming");

    private static string LocalAppData(HostEnvironment env) => env.Get("LOCALAPPDATA") ?? env.Join(env.Home, "AppData", "Local");

    // XDG Base Directory: a relative $XDG_CONFIG_HOME is invalid and ignored.
    private static string XdgConfig(HostEnvironment env) =>
        env.Get("XDG_CONFIG_HOME") is { } xdg && xdg.StartsWith('/') ? xdg : env.Join(env.Home, ".config");
}
