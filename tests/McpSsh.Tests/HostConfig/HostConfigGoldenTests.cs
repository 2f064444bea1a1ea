using System.Text;
using McpSsh.Cli.HostConfig;

namespace McpSsh.Tests.HostConfig;

/// <summary>
/// One real-shaped file per client (golden/CASE.before.json) gets the same entry added: the result must equal
/// golden/CASE.after.json byte for byte, and removing the entry again must give back the first file byte for byte.
/// Set MCP_SSH_UPDATE_GOLDEN=1 to rewrite the .after files (then read the diff before committing it).
/// </summary>
public class HostConfigGoldenTests
{
    internal static readonly ServerEntry Entry = new("/usr/local/bin/mcp-ssh",
        ["--host", "example.org", "--port", "8022", "--username", "mcp", "--known-hosts", "/home/ann/.ssh/known_hosts", "--remote-command", "npx -y \"srv\" ünïcode"]);

    public static TheoryData<string, string> Cases() => new()
    {
        { "claude-desktop", "claude-desktop" },
        { "claude-desktop-minified", "claude-desktop" },
        { "claude-code", "claude-code" },
        { "cursor", "cursor" },
        { "vscode", "vscode" },
        { "windsurf", "windsurf" },
        { "zed", "zed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Add_MatchesGolden_AndRemoveRestoresEveryByte(string name, string clientId)
    {
        HostClient client = HostClient.Find(clientId)!;
        byte[] beforeBytes = File.ReadAllBytes(Golden(name + ".before.json"));
        string before = Encoding.UTF8.GetString(beforeBytes);

        string after = JsoncEditor.Upsert(before, client.ContainerKey, "work", (indent, layout) => Entry.Render(client, indent, layout), force: false, out bool replaced);

        string afterPath = Golden(name + ".after.json");
        if (Environment.GetEnvironmentVariable("MCP_SSH_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(afterPath, Encoding.UTF8.GetBytes(after));
        }

        Assert.False(replaced);
        Assert.Equal(File.ReadAllText(afterPath), after);
        // What the client reads back is the entry we meant, and every other entry is still there.
        JsoncNode root = JsoncEditor.ParseRoot(after);
        JsoncNode servers = JsoncEditor.Container(after, root, client.ContainerKey)!;
        Assert.Equal(Entry.Command, ServerEntry.Read(servers.Member("work")!.Value)!.Command);
        Assert.Equal(Entry.Args, ServerEntry.Read(servers.Member("work")!.Value)!.Args);
        Assert.Equal(JsoncEditor.Container(before, JsoncEditor.ParseRoot(before), client.ContainerKey)!.Members.Count + 1, servers.Members.Count);

        string removed = JsoncEditor.Remove(after, client.ContainerKey, "work")!;
        Assert.Equal(beforeBytes, Encoding.UTF8.GetBytes(removed));
    }

    internal static string Golden(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "McpSsh.Tests", "HostConfig", "golden", file);
            if (File.Exists(candidate) || Directory.Exists(Path.GetDirectoryName(candidate)))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(file);
    }
}
