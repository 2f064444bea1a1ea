using System.Diagnostics;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>
/// The Claude Code CLI (tests/node, pinned) as a real MCP host: `claude mcp add` and `claude mcp list` need no account.
/// It runs with HOME and the working directory in a temporary folder, never the real home.
/// </summary>
internal sealed class ClaudeCli : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("mcp-ssh-claude-").FullName;

    public static string Binary
    {
        get
        {
            string path = Path.Combine(TestPaths.RepoRoot, "tests", "node", "node_modules", ".bin", "claude");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: run scripts/install-deps (scripts/test does)");
        }
    }

    /// <summary><c>claude mcp add NAME -- COMMAND ARGS...</c> (local scope, in the temporary project folder).</summary>
    public Task<(int ExitCode, string Output)> AddAsync(string name, string command, IEnumerable<string> args) =>
        RunAsync(["mcp", "add", name, "--", command, .. args]);

    /// <summary><c>claude mcp list</c>: starts each server and prints one line per server with its health.</summary>
    public Task<(int ExitCode, string Output)> ListAsync() => RunAsync(["mcp", "list"]);

    private async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _home,
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = _home;
        start.Environment["CLAUDE_CONFIG_DIR"] = Path.Combine(_home, ".claude");
        start.Environment["DISABLE_AUTOUPDATER"] = "1";
        start.Environment["DISABLE_TELEMETRY"] = "1";
        start.Environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        using Process process = Process.Start(start)!;
        try
        {
            process.StandardInput.Close();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            return (process.ExitCode, stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    public void Dispose() => Directory.Delete(_home, recursive: true);
}
