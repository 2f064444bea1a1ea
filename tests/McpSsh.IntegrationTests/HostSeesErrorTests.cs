using System.Diagnostics;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 15, deliverable 0: when mcp-ssh cannot connect, the host's first request is answered with a -32000 error
/// whose message is mcp-ssh's own one-line error (desktop hosts hide stderr), and the exit code stays the same.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class HostSeesErrorTests(SshdFixture sshd) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-hosterr-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A loopback port nothing listens on (taken from the OS, then released).</summary>
    private static string ClosedPort() => SshdFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private List<string> RefusedPortArgs() =>
        ["--host", "127.0.0.1", "--port", ClosedPort(), "--username", sshd.User, "--client-key", sshd.TestServerKey, "--known-hosts", sshd.KnownHosts, "--no-ssh-config"];

    /// <summary>A known_hosts that names the server with another key: a changed host key.</summary>
    private List<string> WrongKnownHostsArgs()
    {
        string wrong = Path.Combine(_dir, "known_hosts");
        string otherKey = File.ReadAllText(sshd.UnauthorizedKey + ".pub").Trim();
        File.WriteAllText(wrong, $"{sshd.HostName} {string.Join(' ', otherKey.Split(' ')[..2])}\n");
        List<string> args = McpSshRun.Args(sshd, sshd.TestServerKey);
        args[args.IndexOf("--known-hosts") + 1] = wrong;
        return args;
    }

    private static string ErrorLine(string stderr) => Assert.Single(stderr.Split('\n'), l => l.StartsWith("mcp-ssh:", StringComparison.Ordinal));

    [Fact]
    public async Task RefusedPort_FirstRequestGetsTheErrorLine_ExitCodeUnchanged()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(RefusedPortArgs());
        await run.WriteLineAsync(RawMcpSsh.Initialize);

        JsonElement answer = await run.ReadResponseAsync();
        int code = await run.WaitForExitAsync();

        Assert.Equal(3, code);
        Assert.Equal(1, answer.GetProperty("id").GetInt32());
        Assert.Equal(-32000, answer.GetProperty("error").GetProperty("code").GetInt32());
        string message = answer.GetProperty("error").GetProperty("message").GetString()!;
        Assert.StartsWith("mcp-ssh: connection refused by 127.0.0.1:", message, StringComparison.Ordinal);
        Assert.Equal(ErrorLine(run.Stderr), message);
    }

    [Fact]
    public async Task UnauthorizedKey_DiscoverThenInitialize_BothAnswered_ExitsSix()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(McpSshRun.Args(sshd, sshd.UnauthorizedKey));
        await run.WriteLineAsync("""{"jsonrpc":"2.0","id":"d1","method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}""");
        JsonElement discover = await run.ReadResponseAsync();
        await run.WriteLineAsync(RawMcpSsh.Initialize);
        JsonElement initialize = await run.ReadResponseAsync();
        run.CloseStdin();

        Assert.Equal(6, await run.WaitForExitAsync());
        Assert.Equal("d1", discover.GetProperty("id").GetString());
        Assert.Equal(1, initialize.GetProperty("id").GetInt32());
        string line = ErrorLine(run.Stderr);
        Assert.Contains("authentication failed", line, StringComparison.Ordinal);
        Assert.Equal(line, discover.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(line, initialize.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task UsageError_FirstRequestGetsTheUsageLine_ExitsTwo()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(["--host", "127.0.0.1", "--port", "0", "--no-ssh-config"]);
        await run.WriteLineAsync(RawMcpSsh.Initialize);

        JsonElement answer = await run.ReadResponseAsync();

        Assert.Equal(2, await run.WaitForExitAsync());
        Assert.Equal("mcp-ssh: --port 0 is not a TCP port (1-65535)", answer.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task MalformedFirstLine_GetsAValidAnswerWithNullId()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(RefusedPortArgs());
        await run.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"method\":\"initialize\",\"id\":");

        JsonElement answer = await run.ReadResponseAsync();

        Assert.Equal(3, await run.WaitForExitAsync());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("id").ValueKind);
        Assert.StartsWith("mcp-ssh: connection refused", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRequestAndStdinOpen_ExitsWithinTheBoundedWait()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(RefusedPortArgs());
        var clock = Stopwatch.StartNew();

        int code = await run.WaitForExitAsync();

        Assert.Equal(3, code);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30)); // the 5 s wait, then exit
        Assert.Contains("connection refused", ErrorLine(run.Stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CSharpSdkClient_WrongKnownHosts_SeesMcpSshMessage()
    {
        McpException error = await Assert.ThrowsAnyAsync<McpException>(() => McpSshRun.ConnectAsync(WrongKnownHostsArgs()));

        Assert.Contains("mcp-ssh: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("changed", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("legacy")]
    public async Task TypeScriptV2Client_RefusedPort_SeesMcpSshMessage(string mode)
    {
        JsonElement outcome = await NodeClient.ConnectAsync(mode, TestPaths.McpSshBinary, RefusedPortArgs());

        Assert.False(outcome.GetProperty("connected").GetBoolean());
        Assert.Contains("mcp-ssh: connection refused by 127.0.0.1:", outcome.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
