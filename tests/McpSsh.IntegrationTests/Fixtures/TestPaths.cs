using System.Diagnostics;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>Where the real parts are: the native binary, the test servers, OpenSSH and node.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The native AOT binary scripts/build produces (MCP_SSH_BIN overrides).</summary>
    public static string McpSshBinary
    {
        get
        {
            string path = Environment.GetEnvironmentVariable("MCP_SSH_BIN") ?? Path.Combine(RepoRoot, "artifacts", "bin", "mcp-ssh");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run scripts/build (scripts/test does) before the integration tests");
        }
    }

    public static string TestServerDll { get; } = Path.Combine(AppContext.BaseDirectory, "mcp-ssh-test-server.dll");

    public static string EverythingServerJs
    {
        get
        {
            string path = Path.Combine(RepoRoot, "tests", "node", "node_modules", "@modelcontextprotocol", "server-everything", "dist", "index.js");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run scripts/install-deps (scripts/test does)");
        }
    }

    /// <summary>The dotnet muxer running these tests; sshd gives sessions a minimal PATH, so commands use absolute paths.</summary>
    public static string Dotnet { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : Which("dotnet");

    public static string Node => Which("node");

    public static string Sshd => File.Exists("/usr/sbin/sshd") ? "/usr/sbin/sshd" : Which("sshd");

    public static string Which(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{name} is not on PATH: run scripts/install-deps");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "McpSsh.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find McpSsh.sln above " + AppContext.BaseDirectory);
    }
}
