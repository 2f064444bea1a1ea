using System.Diagnostics;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.IntegrationTests;

/// <summary>
/// `mcp-ssh config` against a real host, the Claude Code CLI 2.1.328, in a HOME of its own: serve prints the line to
/// give users; that line (for claude-code) writes ~/.claude.json; `claude mcp list` connects through mcp-ssh and the
/// real sshd to the real server. And add, list, remove leave a file Claude Code wrote byte-identical.
/// </summary>
public sealed class ClaudeCodeConfigTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly GatewayConfig _config = GatewayConfig.Write(("everything", GatewayConfig.Everything));

    private static string Claude => Path.Combine(TestPaths.RepoRoot, "tests", "node", "node_modules", ".bin", "claude");

    public void Dispose() => Directory.Delete(_config.Dir, recursive: true);

    [Fact]
    public async Task ServeHandout_ConfigAddForClaudeCode_RoundTripsByteIdentical_AndClaudeConnects()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config);
        Assert.True(await serve.WaitForLogAsync("then run there: mcp-ssh config add ", McpSshRun.Timeout), serve.Stderr);
        string[] log = serve.Stderr.Split('\n');
        Assert.Contains(log, l => l.Contains("serve: Host key SHA256:", StringComparison.Ordinal));
        string knownHostsLine = After(log, "this line to its ~/.ssh/known_hosts: ");
        string[] add = After(log, "then run there: ").Split(' ');
        Assert.Equal(["mcp-ssh", "config", "add"], add[..3]);
        string name = add[3];

        // The user's side: a HOME with the host key trusted and a key serve accepts.
        string home = Path.Combine(_config.Dir, "claude-home");
        Directory.CreateDirectory(Path.Combine(home, ".ssh"));
        File.WriteAllText(Path.Combine(home, ".ssh", "known_hosts"), knownHostsLine + "\n");
        string key = Tool.KeyGen(_config.Dir, "user_key", "ed25519");
        File.AppendAllText(serve.AuthorizedClients, File.ReadAllText(key + ".pub"));
        var environment = new Dictionary<string, string?> { ["HOME"] = home, ["CLAUDE_CONFIG_DIR"] = null, ["NO_COLOR"] = "1",
            // Claude Code's bound on a server's start (ms): the default is tight for ssh + a node server on a loaded 2-core machine.
            ["MCP_TIMEOUT"] = "60000" };

        // A ~/.claude.json as Claude Code itself writes it, with another server in it.
        (int code, string output) = await RunAsync(Claude, ["mcp", "add", "-s", "user", "other", "--", "/bin/true", "x"], home, environment);
        Assert.True(code == 0, output);
        string claudeJson = Path.Combine(home, ".claude.json");
        byte[] written = File.ReadAllBytes(claudeJson);

        string[] addArgs = [.. add[1..].Select(w => w == "claude-desktop" ? "claude-code" : w), "--client-key", key, "--no-ssh-config"];
        (code, output) = await RunAsync(TestPaths.McpSshBinary, addArgs, home, environment);
        Assert.True(code == 0, output);
        Assert.Contains($"\"command\": \"{TestPaths.McpSshBinary}\"", File.ReadAllText(claudeJson), StringComparison.Ordinal);
        Assert.Contains($"\"{Path.Combine(home, ".ssh", "known_hosts")}\"", File.ReadAllText(claudeJson), StringComparison.Ordinal);

        (code, output) = await RunAsync(TestPaths.McpSshBinary, ["config", "list", "--client", "claude-code"], home, environment);
        Assert.True(code == 0, output);
        Assert.Contains($"  {name}  {TestPaths.McpSshBinary} --host 127.0.0.1 --port {serve.Port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("  other  ", output, StringComparison.Ordinal);

        (code, output) = await RunAsync(TestPaths.McpSshBinary, ["config", "remove", name, "--client", "claude-code"], home, environment);
        Assert.True(code == 0, output);
        Assert.Equal(written, File.ReadAllBytes(claudeJson));

        (code, output) = await RunAsync(TestPaths.McpSshBinary, addArgs, home, environment);
        Assert.True(code == 0, output);
        (code, output) = await RunAsync(Claude, ["mcp", "list"], home, environment);
        string entry = output.Split('\n').SingleOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal)) ?? "";
        Assert.True(entry.Contains("✔ Connected", StringComparison.Ordinal), $"claude mcp list (exit {code}):\n{output}\nserve:\n{serve.Stderr}");
    }

    private static string After(string[] lines, string marker)
    {
        string line = Assert.Single(lines, l => l.Contains(marker, StringComparison.Ordinal));
        return line[(line.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim();
    }

    /// <summary>Runs a program to its end (bounded; killed with its tree past the bound); exit code and stdout+stderr.</summary>
    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, string cwd, IDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = cwd };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string key, string? value) in environment)
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Bound);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
