using McpSsh.Cli.HostConfig;
using McpSsh.Platform;

namespace McpSsh.Tests.HostConfig;

/// <summary>Every row of the per-OS table, computed from injected environments and a fake file system.</summary>
public class ConfigTableTests
{
    private static readonly HostEnvironment Linux = HostEnvironment.For(OsFamily.Linux, new Dictionary<string, string> { ["HOME"] = "/home/ann" });
    private static readonly HostEnvironment Mac = HostEnvironment.For(OsFamily.MacOS, new Dictionary<string, string> { ["HOME"] = "/Users/ann" });
    private static readonly HostEnvironment Windows = HostEnvironment.For(OsFamily.Windows, new Dictionary<string, string>
    {
        ["USERPROFILE"] = @"C:\Users\ann", ["APPDATA"] = @"C:\Users\ann\AppData\Roaming", ["LOCALAPPDATA"] = @"C:\Users\ann\AppData\Local",
    });

    public static TheoryData<string, string, string> UserFiles() => new()
    {
        { "linux", "claude-desktop", "/home/ann/.config/Claude/claude_desktop_config.json" },
        { "linux", "claude-code", "/home/ann/.claude.json" },
        { "linux", "cursor", "/home/ann/.cursor/mcp.json" },
        { "linux", "vscode", "/home/ann/.config/Code/User/mcp.json" },
        { "linux", "windsurf", "/home/ann/.codeium/windsurf/mcp_config.json" },
        { "linux", "zed", "/home/ann/.config/zed/settings.json" },
        { "macos", "claude-desktop", "/Users/ann/Library/Application Support/Claude/claude_desktop_config.json" },
        { "macos", "claude-code", "/Users/ann/.claude.json" },
        { "macos", "cursor", "/Users/ann/.cursor/mcp.json" },
        { "macos", "vscode", "/Users/ann/Library/Application Support/Code/User/mcp.json" },
        { "macos", "windsurf", "/Users/ann/.codeium/windsurf/mcp_config.json" },
        { "macos", "zed", "/Users/ann/.config/zed/settings.json" },
        { "windows", "claude-desktop", @"C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json" },
        { "windows", "claude-code", @"C:\Users\ann\.claude.json" },
        { "windows", "cursor", @"C:\Users\ann\.cursor\mcp.json" },
        { "windows", "vscode", @"C:\Users\ann\AppData\Roaming\Code\User\mcp.json" },
        { "windows", "windsurf", @"C:\Users\ann\.codeium\windsurf\mcp_config.json" },
        { "windows", "zed", @"C:\Users\ann\AppData\Roaming\Zed\settings.json" },
    };

    [Theory]
    [MemberData(nameof(UserFiles))]
    public void UserScope_EachClientOnEachOs_IsTheDocumentedFile(string os, string clientId, string expected)
    {
        HostEnvironment env = os switch { "linux" => Linux, "macos" => Mac, _ => Windows };

        IReadOnlyList<ConfigLocation> targets = ConfigTable.Targets(HostClient.Find(clientId)!, ConfigScope.User, env, new FakeProbe(), "/work");

        Assert.Equal(expected, Assert.Single(targets).Path);
    }

    [Fact]
    public void ClaudeDesktopOnWindows_StoreBuildInstalled_WritesTheStorePackagesFile()
    {
        var probe = new FakeProbe(@"C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc");

        IReadOnlyList<ConfigLocation> targets = ConfigTable.Targets(HostClient.ClaudeDesktop, ConfigScope.User, Windows, probe, "/work");

        ConfigLocation store = Assert.Single(targets);
        Assert.Equal(@"C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude\claude_desktop_config.json", store.Path);
        Assert.Equal("MSIX package", store.Variant);
    }

    [Fact]
    public void ClaudeDesktopOnWindows_PackageAndAnOldAppDataFolder_OnlyThePackagesFileIsWritten()
    {
        // An MSIX Claude reads only its package's copy; %APPDATA%\Claude left by an older install is stale.
        var probe = new FakeProbe(@"C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc", @"C:\Users\ann\AppData\Roaming\Claude");

        IReadOnlyList<ConfigLocation> targets = ConfigTable.Targets(HostClient.ClaudeDesktop, ConfigScope.User, Windows, probe, "/work");
        IReadOnlyList<ConfigLocation> all = ConfigTable.Locate(HostClient.ClaudeDesktop, ConfigScope.User, Windows, probe, "/work");

        Assert.Equal(@"C:\Users\ann\AppData\Local\Packages\Claude_pzs8sxrjxfjjc\LocalCache\Roaming\Claude\claude_desktop_config.json", Assert.Single(targets).Path);
        Assert.Equal(@"C:\Users\ann\AppData\Roaming\Claude\claude_desktop_config.json", all[1].Path); // still listed by `config list`
    }

    [Fact]
    public void Windows_WithoutAppDataVariables_UsesTheProfileFolders()
    {
        HostEnvironment env = HostEnvironment.For(OsFamily.Windows, new Dictionary<string, string> { ["USERPROFILE"] = @"D:\u\bo" });

        Assert.Equal(@"D:\u\bo\AppData\Roaming\Code\User\mcp.json", ConfigTable.Targets(HostClient.VsCode, ConfigScope.User, env, new FakeProbe(), "/").Single().Path);
    }

    [Fact]
    public void Linux_XdgConfigHome_MovesClaudeVsCodeAndZed_ButARelativeOneIsIgnored()
    {
        HostEnvironment xdg = HostEnvironment.For(OsFamily.Linux, new Dictionary<string, string> { ["HOME"] = "/home/ann", ["XDG_CONFIG_HOME"] = "/cfg" });
        HostEnvironment relative = HostEnvironment.For(OsFamily.Linux, new Dictionary<string, string> { ["HOME"] = "/home/ann", ["XDG_CONFIG_HOME"] = "cfg" });

        Assert.Equal("/cfg/zed/settings.json", ConfigTable.Targets(HostClient.Zed, ConfigScope.User, xdg, new FakeProbe(), "/").Single().Path);
        Assert.Equal("/cfg/Claude/claude_desktop_config.json", ConfigTable.Targets(HostClient.ClaudeDesktop, ConfigScope.User, xdg, new FakeProbe(), "/").Single().Path);
        Assert.Equal("/home/ann/.config/Code/User/mcp.json", ConfigTable.Targets(HostClient.VsCode, ConfigScope.User, relative, new FakeProbe(), "/").Single().Path);
    }

    [Fact]
    public void ClaudeCode_ClaudeConfigDir_MovesItsFile()
    {
        HostEnvironment env = HostEnvironment.For(OsFamily.Linux, new Dictionary<string, string> { ["HOME"] = "/home/ann", ["CLAUDE_CONFIG_DIR"] = "/etc/claude-ann" });

        ConfigLocation location = ConfigTable.Targets(HostClient.ClaudeCode, ConfigScope.User, env, new FakeProbe(), "/").Single();

        Assert.Equal("/etc/claude-ann/.claude.json", location.Path);
        Assert.True(location.Installed);
    }

    [Theory]
    [InlineData("claude-code", "/work/p/.mcp.json")]
    [InlineData("cursor", "/work/p/.cursor/mcp.json")]
    [InlineData("vscode", "/work/p/.vscode/mcp.json")]
    [InlineData("zed", "/work/p/.zed/settings.json")]
    public void ProjectScope_IsInTheProjectDirectory(string clientId, string expected)
    {
        Assert.Equal(expected, ConfigTable.Targets(HostClient.Find(clientId)!, ConfigScope.Project, Linux, new FakeProbe(), "/work/p").Single().Path);
    }

    [Fact]
    public void ProjectScope_ClientsWithoutOne_HaveNoFile()
    {
        Assert.Empty(ConfigTable.Locate(HostClient.Windsurf, ConfigScope.Project, Linux, new FakeProbe(), "/work/p"));
        Assert.Empty(ConfigTable.Locate(HostClient.ClaudeDesktop, ConfigScope.Project, Linux, new FakeProbe(), "/work/p"));
    }

    [Fact]
    public void Installed_FollowsTheClientsDirectory()
    {
        var probe = new FakeProbe("/Users/ann/.cursor", "/Users/ann/Library/Application Support/Code/User");

        List<string> installed = [.. HostClient.All.SelectMany(c => ConfigTable.Locate(c, ConfigScope.User, Mac, probe, "/")).Where(l => l.Installed).Select(l => l.Client.Id)];

        Assert.Equal(["cursor", "vscode"], installed);
    }

    private sealed class FakeProbe(params string[] existing) : IFileProbe
    {
        public bool Exists(string path) => existing.Contains(path);

        public IReadOnlyList<string> DirectoriesStartingWith(string directory, string prefix) =>
        [
            .. existing.Where(p => p.StartsWith(directory + @"\" + prefix, StringComparison.Ordinal) || p.StartsWith(directory + "/" + prefix, StringComparison.Ordinal))
                .Select(p => p[(directory.Length + 1)..]),
        ];
    }
}
