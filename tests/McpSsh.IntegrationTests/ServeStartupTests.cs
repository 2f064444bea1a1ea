using System.Diagnostics;
using System.Globalization;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 11 defect 7, serve's start and stop: an encrypted host key under a terminal, the public key always
/// derived from the private one, the decrypted copy removed at shutdown, '%' in the state directory, and a
/// state directory sshd's StrictModes would refuse.
/// </summary>
public sealed class ServeStartupTests : IDisposable
{
    private static readonly TimeSpan s_startBound = TimeSpan.FromSeconds(30);

    private readonly GatewayConfig _config = GatewayConfig.Write(("py", PythonMcpServer.Create()));

    /// <summary>Runs serve with a pseudo-terminal as its controlling terminal (and stdin/stdout/stderr), relaying
    /// its output to stderr and SIGTERM to serve; like starting it by hand in a terminal.</summary>
    private static readonly ServeLaunch s_underTerminal = new()
    {
        Wrapper = (PythonMcpServer.Python, (binary, args) => [
            "-c",
            """
            import os, pty, signal, sys
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGTERM))
            while True:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    break
                if not data:
                    break
                sys.stderr.buffer.write(data)
                sys.stderr.flush()
            sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
            """,
            binary, .. args]),
    };

    private static string TypeAndKey(string line) => string.Join(' ', line.Trim().Split(' ')[..2]);

    private async Task<string> ServedKeyAsync(ServeRun serve)
    {
        using var http = new HttpClient();
        using var body = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(serve.KeyServerUrl + "/server_pub_key"));
        return body.RootElement.GetProperty("server_pub_key").GetString()!;
    }

    [Fact]
    public async Task EncryptedServerKey_UnderATerminal_StartsWithoutAsking()
    {
        Tool.KeyGen(_config.Dir, "server_key", "ed25519", "host secret");
        var environment = new Dictionary<string, string> { ["MCP_SSH_PASSPHRASE"] = "host secret" };
        await using ServeRun serve = ServeRun.Launch(_config, environment, s_underTerminal);
        bool serving = await serve.WaitForLogAsync("serve: Serving ", s_startBound);
        if (!serving)
        {
            serve.KillTree(); // stuck at a prompt: SIGTERM would not reach it
        }

        Assert.True(serving, "serve did not start within 30 s under a terminal:\n" + serve.Stderr);
        Assert.DoesNotContain("passphrase:", serve.Stderr);
    }

    [Fact]
    public async Task EncryptedServerKey_UnderATerminal_AWrongPassphraseFailsAtOnce()
    {
        Tool.KeyGen(_config.Dir, "server_key", "ed25519", "host secret");
        await using ServeRun serve = ServeRun.Launch(_config, new Dictionary<string, string> { ["MCP_SSH_PASSPHRASE"] = "nope" }, s_underTerminal);
        bool refused = await serve.WaitForLogAsync("wrong passphrase for --server-key", s_startBound);
        if (!refused)
        {
            serve.KillTree();
        }

        Assert.True(refused, "no clear error within 30 s under a terminal:\n" + serve.Stderr);
        Assert.Equal(11, await serve.WaitForExitAsync());
    }

    [Fact]
    public async Task StalePublicKeys_AreNeverServed_TheyAreDerivedFromThePrivateKey()
    {
        // A .pub beside --server-key and a host_key.pub left in the state directory, both of another key.
        string stale = Tool.KeyGen(_config.Dir, "old", "ed25519");
        Tool.KeyGen(_config.Dir, "server_key", "ed25519", "host secret");
        string realPublic = TypeAndKey(File.ReadAllText(Path.Combine(_config.Dir, "server_key.pub")));
        Directory.CreateDirectory(Path.Combine(_config.Dir, "state"));
        File.Copy(stale + ".pub", Path.Combine(_config.Dir, "state", "host_key.pub"));

        var environment = new Dictionary<string, string> { ["MCP_SSH_PASSPHRASE"] = "host secret" };
        await using (ServeRun serve = await ServeRun.StartAsync(_config, environment, "--run-key-server"))
        {
            Assert.Equal(realPublic, TypeAndKey(await ServedKeyAsync(serve)));
        }

        // Unencrypted, with a stale .pub beside it.
        File.Delete(Path.Combine(_config.Dir, "server_key"));
        File.Delete(Path.Combine(_config.Dir, "server_key.pub"));
        string plain = Tool.KeyGen(_config.Dir, "server_key", "ed25519");
        string plainPublic = TypeAndKey(File.ReadAllText(plain + ".pub"));
        File.Copy(stale + ".pub", plain + ".pub", overwrite: true);
        await using (ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server"))
        {
            Assert.Equal(plainPublic, TypeAndKey(await ServedKeyAsync(serve)));
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task DecryptedHostKey_IsRemovedWhenServeStops(string signal)
    {
        Tool.KeyGen(_config.Dir, "server_key", "ecdsa", "host secret");
        ServeRun serve = await ServeRun.StartAsync(_config, new Dictionary<string, string> { ["MCP_SSH_PASSPHRASE"] = "host secret" });
        await using (serve)
        {
            string decrypted = Path.Combine(serve.StateDir, "host_key");
            Assert.True(File.Exists(decrypted));

            Tool.Run("kill", "-" + signal, serve.Pid.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(0, await serve.WaitForExitAsync());
            Assert.False(File.Exists(decrypted), "the decrypted host key is still on disk after serve stopped");
        }
    }

    [Fact]
    public async Task PercentInTheStateDirectory_LoginsStillWork()
    {
        string stateDir = Path.Combine(_config.Dir, "100%state %u");
        string key = Tool.KeyGen(_config.Dir, "client", "ed25519");
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, new ServeLaunch { StateDir = stateDir }, "--run-key-server");
        File.WriteAllText(Path.Combine(stateDir, "registered_keys"), "restrict " + File.ReadAllText(key + ".pub"));
        string knownHosts = Path.Combine(_config.Dir, "known_hosts");
        File.WriteAllText(knownHosts, $"[127.0.0.1]:{serve.Port} {serve.ServerKeyPub}\n");

        await using RawMcpSsh client = RawMcpSsh.Start(serve.ClientArgs("--client-key", key, "--known-hosts", knownHosts, "--no-reconnect"));
        await client.WriteLineAsync(RawMcpSsh.Initialize);
        Assert.Equal("py", (await client.ReadResponseAsync()).GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
    }

    [Fact]
    public async Task StateDirBelowAWorldWritableDirectory_IsRefusedAtStart_WithTheFix()
    {
        // The temp directory is below /tmp (drwxrwxrwt): sshd's StrictModes would refuse every key there.
        await using ServeRun serve = ServeRun.Launch(_config, null, new ServeLaunch { StrictModesOff = false }, "--run-key-server");
        Assert.Equal(11, await serve.WaitForExitAsync());
        string line = Assert.Single(serve.Stderr.Split('\n'), l => l.StartsWith("mcp-ssh: ", StringComparison.Ordinal));
        Assert.Contains("StrictModes", line);
        Assert.Contains("/tmp", line);
        Assert.Contains("--state-dir", line);
    }

    [Theory]
    [InlineData("Match=all")]
    [InlineData("Include=/etc/ssh/sshd_config")]
    [InlineData("Match all\nForceCommand=/bin/sh")] // a newline in the key: a Match block whose ForceCommand wins
    public async Task SshdOptionThatCouldReopenAShell_IsAUsageError(string option)
    {
        await using ServeRun serve = ServeRun.Launch(_config, null, "--sshd-option", option);
        Assert.Equal(2, await serve.WaitForExitAsync());
        Assert.StartsWith("mcp-ssh: --sshd-option ", Assert.Single(serve.Stderr.Split('\n')));
        Assert.False(File.Exists(Path.Combine(serve.StateDir, "sshd_config")));
    }

    public void Dispose() => _config.Dispose();
}
