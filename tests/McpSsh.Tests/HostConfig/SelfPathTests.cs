using McpSsh.Cli.HostConfig;

namespace McpSsh.Tests.HostConfig;

public class SelfPathTests
{
    private const string Cellar = "/opt/homebrew/Cellar/mcp-ssh/1.2.0/bin/mcp-ssh";

    private static bool Same(string a, string b) => (a == b) || (new[] { a, b }.All(p => p is Cellar or "/opt/homebrew/bin/mcp-ssh"));

    [Fact]
    public void InvokedByName_ThroughAPackageManagersSymlink_KeepsTheSymlinkPath()
    {
        string path = SelfPath.Choose("mcp-ssh", Cellar, "/usr/bin:/opt/homebrew/bin", "/home/ann", windows: false,
            isFile: p => p == "/opt/homebrew/bin/mcp-ssh", sameFile: Same);

        Assert.Equal("/opt/homebrew/bin/mcp-ssh", path);
    }

    [Fact]
    public void InvokedByRelativePath_IsMadeAbsolute()
    {
        string path = SelfPath.Choose("./artifacts/bin/mcp-ssh", "/src/artifacts/bin/mcp-ssh", "", "/src", windows: false, isFile: _ => true, sameFile: (a, b) => a == b);

        Assert.Equal("/src/artifacts/bin/mcp-ssh", path);
    }

    [Fact]
    public void Argv0NotThisBinary_FallsBackToTheProcessPath()
    {
        string path = SelfPath.Choose("mcp-ssh", "/usr/lib/mcp-ssh/mcp-ssh", "/usr/bin", "/", windows: false, isFile: _ => true, sameFile: (a, b) => a == b);

        Assert.Equal("/usr/lib/mcp-ssh/mcp-ssh", path);
    }
}
