using System.Diagnostics;
using System.Text.Json;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>The TypeScript SDK v2 client (tests/node/connect-client.mjs): connects to a stdio command and reports the outcome.</summary>
internal static class NodeClient
{
    /// <summary>Runs the client in <paramref name="mode"/> (auto: probes with server/discover; legacy: initialize) and returns its JSON line.</summary>
    public static async Task<JsonElement> ConnectAsync(string mode, string command, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(TestPaths.Node)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(TestPaths.RepoRoot, "tests", "node"),
        };
        foreach (string arg in (string[])[Path.Combine(TestPaths.RepoRoot, "tests", "node", "connect-client.mjs"), mode, command, .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        try
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(McpSshRun.Timeout);
            await process.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
            string line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
                ?? throw new InvalidOperationException($"connect-client.mjs printed nothing; stderr: {await stderr}");
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.Clone();
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
}
