using System.Diagnostics;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// A launcher may start mcp-ssh with file descriptor 2 closed (a daemon, `2>&-`). .NET's Console.Error then throws
/// (dup of fd 2 fails with EBADF), which aborted the process (SIGABRT, exit 134) before it did anything; with
/// nowhere to log, mcp-ssh must still run, answer on stdout and exit with its usual code.
/// </summary>
public class ClosedStderrTests
{
    private static async Task<(int ExitCode, string Stdout)> RunWithStderrClosedAsync(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" 2>&-");
        start.ArgumentList.Add(TestPaths.McpSshBinary);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = Directory.CreateTempSubdirectory("mcp-ssh-closed-stderr-").FullName;
        using var process = Process.Start(start)!;
        try
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
            string stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (process.ExitCode, stdout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(start.Environment["HOME"]!, recursive: true);
        }
    }

    [Fact]
    public async Task Version_WithStderrClosed_PrintsAndExitsZero()
    {
        (int exitCode, string stdout) = await RunWithStderrClosedAsync("", "--version");

        Assert.Equal(0, exitCode);
        Assert.StartsWith("mcp-ssh ", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedConnect_WithStderrClosed_AnswersTheHostAndExitsThree()
    {
        (int exitCode, string stdout) = await RunWithStderrClosedAsync(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}\n", "--host", "127.0.0.1", "--port", "1", "--no-ssh-config");

        Assert.Equal(3, exitCode);
        Assert.Contains("\"id\":1,\"error\":{\"code\":-32000,\"message\":\"mcp-ssh: connection refused", stdout, StringComparison.Ordinal);
    }
}
