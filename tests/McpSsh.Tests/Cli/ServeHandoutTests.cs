using McpSsh.Cli.Commands;
using McpSsh.Tests.Common;
using McpSsh.Tests.Support;

namespace McpSsh.Tests.Cli;

public class ServeHandoutTests
{
    [Fact]
    public void Lines_FingerprintAsSshKeygenPrintsIt_KnownHostsLineAndConfigAdd()
    {
        using var dir = new TempDirectory();
        string key = Tool.KeyGen(dir.Path, "host", "ed25519");
        string pub = File.ReadAllText(key + ".pub").Trim();
        string fingerprint = Tool.Run("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub").Split(' ')[1];

        IReadOnlyList<string> lines = ServeHandout.Lines(pub, "box.example.org", 2222, "mcp", keyServerPort: null, "/srv/authorized");

        Assert.Equal($"Host key {fingerprint} (ssh-ed25519)", lines[0]);
        Assert.Equal($"For a client: add its public key to /srv/authorized, this line to its ~/.ssh/known_hosts: [box.example.org]:2222 {string.Join(' ', pub.Split(' ')[..2])}", lines[1]);
        Assert.Equal("then run there: mcp-ssh config add box --client claude-desktop --host box.example.org --port 2222 --username mcp --known-hosts ~/.ssh/known_hosts", lines[2]);
    }

    [Fact]
    public void Lines_WithTheKeyServer_UseItToPinTheKey_PortTwentyTwoHasNoBrackets()
    {
        using var dir = new TempDirectory();
        string pub = File.ReadAllText(Tool.KeyGen(dir.Path, "host", "ed25519") + ".pub").Trim();

        IReadOnlyList<string> lines = ServeHandout.Lines(pub, "10.0.0.5", 22, "o'brien", keyServerPort: 8000, "/srv/authorized");

        Assert.Equal(2, lines.Count);
        Assert.EndsWith("mcp-ssh config add mcp-10-0-0-5 --client claude-desktop --host 10.0.0.5 --port 22 --username 'o'\\''brien' --use-key-server --key-server-port 8000", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_KeyServerWithAToken_TellHowToRegisterOnce_WithoutTheToken()
    {
        using var dir = new TempDirectory();
        string pub = File.ReadAllText(Tool.KeyGen(dir.Path, "host", "ed25519") + ".pub").Trim();

        IReadOnlyList<string> lines = ServeHandout.Lines(pub, "box", 8022, "mcp", keyServerPort: 8000, "/srv/authorized", tokenRequired: true);

        Assert.Equal(3, lines.Count);
        Assert.Equal("The key server requires its token: each client registers once with `MCP_SSH_KEY_SERVER_TOKEN=<token> mcp-ssh --host box --port 8022 --username mcp --use-key-server --key-server-port 8000 </dev/null`", lines[1]);
    }
}
