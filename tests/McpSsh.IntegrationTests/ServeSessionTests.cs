using System.Diagnostics;
using System.Globalization;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 11, serve's sessions: what a backend sees (no SSH_ORIGINAL_COMMAND), where session logs go (serve's
/// log, never the SSH client), bounded stderr lines, and 100 clients arriving at once.
/// </summary>
public sealed class ServeSessionTests : IDisposable
{
    private readonly List<GatewayConfig> _configs = [];

    private GatewayConfig Config(params (string Name, (string Command, string[] Args) Server)[] servers)
    {
        GatewayConfig config = GatewayConfig.Write(servers);
        _configs.Add(config);
        return config;
    }

    /// <summary>A serve whose authorized clients hold one new key; returns the key and a known_hosts trusting serve.</summary>
    private static async Task<(ServeRun Serve, string Key, string KnownHosts)> StartWithClientAsync(GatewayConfig config, params string[] extra)
    {
        string key = Tool.KeyGen(config.Dir, "client", "ed25519");
        File.WriteAllText(Path.Combine(config.Dir, "authorized_clients"), File.ReadAllText(key + ".pub"));
        ServeRun serve = await ServeRun.StartAsync(config, null, extra);
        string knownHosts = Path.Combine(config.Dir, "known_hosts");
        File.WriteAllText(knownHosts, $"[127.0.0.1]:{serve.Port} {serve.ServerKeyPub}\n");
        return (serve, key, knownHosts);
    }

    private static async Task<string> InitializeOverSshAsync(Process ssh)
    {
        Task<string> stderr = ssh.StandardError.ReadToEndAsync();
        await ssh.StandardInput.WriteAsync(RawMcpSsh.Initialize + "\n");
        await ssh.StandardInput.FlushAsync();
        string line = await ssh.StandardOutput.ReadLineAsync().WaitAsync(McpSshRun.Timeout) ?? throw new InvalidOperationException("ssh ended: " + await stderr);
        Assert.Contains("\"serverInfo\"", line);
        ssh.StandardInput.Close();
        await ssh.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
        return await stderr.WaitAsync(McpSshRun.Timeout);
    }

    [Fact]
    public async Task Backend_DoesNotSeeTheClientsCommand()
    {
        GatewayConfig config = Config(("py", PythonMcpServer.Create("env > \"$ENV_DUMP\"")));
        string dump = Path.Combine(config.Dir, "backend-env.txt");
        string json = File.ReadAllText(config.Path).Replace("\"BACKEND_NAME\"", $"\"ENV_DUMP\":\"{dump}\",\"BACKEND_NAME\"", StringComparison.Ordinal);
        File.WriteAllText(config.Path, json);
        (ServeRun serve, string key, string knownHosts) = await StartWithClientAsync(config);
        await using (serve)
        {
            using Process ssh = PlainSsh.Start(serve, key, knownHosts, "secret-client-input");
            await InitializeOverSshAsync(ssh);
        }

        string env = File.ReadAllText(dump);
        Assert.Contains("BACKEND_NAME=py", env); // the dump is the backend's
        Assert.DoesNotContain("SSH_ORIGINAL_COMMAND", env);
        Assert.DoesNotContain("secret-client-input", env);
    }

    [Fact]
    public async Task SessionLogs_GoToServesLog_NotToTheSshClient()
    {
        GatewayConfig config = Config(("py", PythonMcpServer.Create("echo backend-stderr-marker >&2")));
        // At the default level (INFO): at DEBUG, sshd's own session process writes its debug lines to the client.
        (ServeRun serve, string key, string knownHosts) = await StartWithClientAsync(config);
        await using (serve)
        {
            using Process ssh = PlainSsh.Start(serve, key, knownHosts);
            string clientStderr = await InitializeOverSshAsync(ssh);

            Assert.True(await serve.WaitForLogAsync("backend-stderr-marker", TimeSpan.FromSeconds(20)), "serve's log lacks the backend's line:\n" + serve.Stderr);
            Assert.DoesNotContain("backend-stderr-marker", clientStderr);
            Assert.Equal("", clientStderr.Trim());
        }
    }

    [Fact]
    public async Task LongStderrLine_IsCutAndMarked_TheNextLineStillArrives()
    {
        // 1 MB of 'x' with no newline, then a normal line.
        GatewayConfig config = Config(("py", PythonMcpServer.Create("head -c 1000000 /dev/zero | tr '\\0' x >&2; echo >&2; echo after-the-long-line >&2")));
        await using RawMcpSsh gateway = RawMcpSsh.Start(["gateway", "--servers-config", config.Path]);
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        Assert.Equal("py", (await gateway.ReadResponseAsync()).GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());

        string[] lines = gateway.Stderr.Split('\n');
        string cut = Assert.Single(lines, l => l.Contains("[cut ", StringComparison.Ordinal));
        Assert.Contains($"[cut {1_000_000 - (8 * 1024)} bytes]", cut);
        Assert.True(cut.Length < 9 * 1024, $"the logged line has {cut.Length} characters");
        Assert.Contains(lines, l => l.EndsWith("after-the-long-line", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length < 9 * 1024));
    }

    [Fact]
    public async Task HundredClientsAtOnce_AllListTools()
    {
        GatewayConfig config = Config(("py", PythonMcpServer.Create()));
        (ServeRun serve, string key, string knownHosts) = await StartWithClientAsync(config);
        await using (serve)
        {
            var stopwatch = Stopwatch.StartNew();
            using var start = new ManualResetEventSlim();
            Task<string>[] clients = [.. Enumerable.Range(0, 100).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                await using RawMcpSsh client = RawMcpSsh.Start(serve.ClientArgs("--client-key", key, "--known-hosts", knownHosts, "--no-reconnect"));
                await client.WriteLineAsync(RawMcpSsh.Initialize);
                await client.ReadResponseAsync();
                await client.WriteLineAsync(RawMcpSsh.Initialized);
                await client.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
                string tools = (await client.ReadResponseAsync()).GetProperty("result").GetProperty("tools")[0].GetProperty("name").GetString()!;
                client.CloseStdin();
                int exit = await client.WaitForExitAsync();
                return exit == 0 ? tools : $"exit {exit}: {client.Stderr}";
            }))];
            start.Set();
            string[] results = await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(150));

            Assert.All(results, r => Assert.Equal("hello", r));
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(150), stopwatch.Elapsed.ToString());
            Console.WriteLine($"100 clients at once: {stopwatch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        }
    }

    public void Dispose()
    {
        foreach (GatewayConfig config in _configs)
        {
            config.Dispose();
        }
    }
}
