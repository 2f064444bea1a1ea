using System.Diagnostics;
using System.Globalization;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>OpenSSH's own client (`ssh -T`) against a serve, with its own key and known_hosts; no user config.</summary>
internal static class PlainSsh
{
    public static Process Start(ServeRun serve, string key, string knownHosts, params string[] remoteCommand)
    {
        var ssh = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new string[] { "-T", "-p", serve.Port.ToString(CultureInfo.InvariantCulture), "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", $"UserKnownHostsFile={knownHosts}", "-o", "StrictHostKeyChecking=yes", "-F", "/dev/null", $"{Environment.UserName}@127.0.0.1" }.Concat(remoteCommand))
        {
            ssh.ArgumentList.Add(arg);
        }

        return Process.Start(ssh)!;
    }
}

/// <summary>A tiny stdio MCP server in Python (milliseconds to start, unlike a .NET one): initialize, tools/list, an echo tool.</summary>
internal static class PythonMcpServer
{
    public const string Script =
        """
        import json, sys
        for line in sys.stdin:
            try:
                m = json.loads(line)
            except ValueError:
                continue
            if "id" not in m or "method" not in m:
                continue
            if m["method"] == "initialize":
                r = {"protocolVersion": m["params"]["protocolVersion"], "capabilities": {"tools": {}}, "serverInfo": {"name": "py", "version": "1"}}
            elif m["method"] == "tools/list":
                r = {"tools": [{"name": "hello", "inputSchema": {"type": "object"}}]}
            else:
                r = {}
            sys.stdout.write(json.dumps({"jsonrpc": "2.0", "id": m["id"], "result": r}) + "\n")
            sys.stdout.flush()
        """;

    /// <summary>The real interpreter (not a pyenv shim, which costs a shell per start).</summary>
    public static string Python { get; } = Tests.Common.Tool.Run(TestPaths.Which("python3"), "-c", "import sys; print(sys.executable)").Trim();

    /// <summary>The server, after <paramref name="shellPrefix"/> (shell code run first, e.g. writing to stderr).</summary>
    public static (string Command, string[] Args) Create(string shellPrefix = "") =>
        ("/bin/sh", ["-c", $"{shellPrefix}\nexec '{Python}' -c '{Script.Replace("'", "'\\''", StringComparison.Ordinal)}'"]);
}
