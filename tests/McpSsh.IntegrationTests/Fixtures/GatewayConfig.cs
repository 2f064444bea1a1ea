using System.Text;
using System.Text.Json.Nodes;

namespace McpSsh.IntegrationTests.Fixtures;

/// <summary>
/// A servers config for `mcp-ssh gateway` in a temp directory. Every backend gets BACKEND_NAME (to see which
/// one answered) and a per-config marker variable, so a test can find any process left behind in /proc.
/// </summary>
internal sealed class GatewayConfig : IDisposable
{
    private GatewayConfig(string dir, string marker)
    {
        Dir = dir;
        Marker = marker;
    }

    public string Dir { get; }

    public string Path => System.IO.Path.Combine(Dir, "servers_config.json");

    public string Marker { get; }

    public static (string Command, string[] Args) Everything => (TestPaths.Node, [TestPaths.EverythingServerJs, "stdio"]);

    public static (string Command, string[] Args) TestServer => (TestPaths.Dotnet, [TestPaths.TestServerDll]);

    /// <summary>Starts, never answers initialize, ignores stdin EOF and SIGTERM, and has a child: only SIGKILL of the tree ends it.</summary>
    public static (string Command, string[] Args) Stubborn => ("/bin/sh", ["-c", "trap '' TERM; sleep 600 & wait; wait"]);

    public static GatewayConfig Write(params (string Name, (string Command, string[] Args) Server)[] servers)
    {
        string marker = "mcp-ssh-gw-" + Guid.NewGuid().ToString("N");
        var config = new GatewayConfig(Directory.CreateTempSubdirectory("mcp-ssh-gw-").FullName, marker);
        var entries = new JsonObject();
        foreach ((string name, (string command, string[] args)) in servers)
        {
            entries[name] = new JsonObject
            {
                ["command"] = command,
                ["args"] = new JsonArray([.. args.Select(a => JsonValue.Create(a))]),
                ["env"] = new JsonObject { ["BACKEND_NAME"] = name, ["MCP_SSH_TEST_MARKER"] = marker },
            };
        }

        File.WriteAllText(config.Path, new JsonObject { ["mcpServers"] = entries }.ToJsonString());
        return config;
    }

    /// <summary>Live processes started from this config (their environment holds the marker).</summary>
    public List<int> LiveBackendPids()
    {
        byte[] needle = Encoding.ASCII.GetBytes("MCP_SSH_TEST_MARKER=" + Marker);
        var pids = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllBytes(System.IO.Path.Combine(dir, "environ")).AsSpan().IndexOf(needle) >= 0)
                {
                    pids.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone while we looked, or a process we may not read (not ours).
            }
        }

        return pids;
    }

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
