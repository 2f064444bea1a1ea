using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Faults on the way to the server, against the real sshd: each test bounds its time and checks that nothing
/// hangs, the exact error the host sees, recovery (reconnect + replay) where expected, that stdout carries only
/// JSON lines (RawMcpSsh parses every line), and that every request is answered exactly once.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class FaultTests(SshdFixture sshd)
{
    private static string Call(int id, string tool, string arguments) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";

    /// <summary>A raw host session that counts answers per id.</summary>
    private sealed class Host(RawMcpSsh run) : IAsyncDisposable
    {
        private readonly Dictionary<int, int> _answers = [];

        public RawMcpSsh Run { get; } = run;

        public List<string> Notifications { get; } = [];

        public static async Task<Host> StartAsync(IEnumerable<string> args)
        {
            var host = new Host(RawMcpSsh.Start(args));
            await host.Run.WriteLineAsync(RawMcpSsh.Initialize);
            Assert.Equal(1, (await host.NextResponseAsync()).GetProperty("id").GetInt32());
            await host.Run.WriteLineAsync(RawMcpSsh.Initialized);
            return host;
        }

        /// <summary>The next response; notifications on the way are kept; a second answer to an id fails the test.</summary>
        public async Task<JsonElement> NextResponseAsync()
        {
            while (true)
            {
                JsonElement message = await Run.ReadMessageAsync();
                if (message.TryGetProperty("method", out JsonElement method))
                {
                    Notifications.Add(method.GetString()!);
                    continue;
                }

                int id = message.GetProperty("id").GetInt32();
                _answers[id] = _answers.GetValueOrDefault(id) + 1;
                Assert.Equal(1, _answers[id]);
                return message;
            }
        }

        public async Task<JsonElement> CallAsync(int id, string tool, string arguments)
        {
            await Run.WriteLineAsync(Call(id, tool, arguments));
            JsonElement answer = await NextResponseAsync();
            Assert.Equal(id, answer.GetProperty("id").GetInt32());
            return answer;
        }

        public async Task WaitForNotificationAsync(string method)
        {
            while (!Notifications.Contains(method))
            {
                JsonElement message = await Run.ReadMessageAsync();
                Assert.True(message.TryGetProperty("method", out JsonElement m), $"unexpected answer while waiting for {method}: {message}");
                Notifications.Add(m.GetString()!);
            }
        }

        /// <summary>Closes stdin: mcp-ssh must exit 0, and every request sent was answered once.</summary>
        public async Task EndAsync(params int[] ids)
        {
            Run.CloseStdin();
            Assert.Equal(0, await Run.WaitForExitAsync());
            Assert.Equal(ids.Order(), _answers.Keys.Order());
        }

        public ValueTask DisposeAsync() => Run.DisposeAsync();
    }

    private static string ErrorMessage(JsonElement answer)
    {
        JsonElement error = answer.GetProperty("error");
        Assert.Equal(-32000, error.GetProperty("code").GetInt32());
        return error.GetProperty("message").GetString()!;
    }

    private static string Text(JsonElement answer) => answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!;

    /// <summary>The per-connection sshd processes and everything under them (the session, the MCP server).</summary>
    private List<int> SessionTree(SshdFixture server) =>
        [.. server.SessionPids().SelectMany(pid => Descendants(pid).Prepend(pid))];

    private static IEnumerable<int> Descendants(int pid) => SshdFixture.Descendants(pid);

    private static string CommandName(int pid) => File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm").Trim() : "";

    private static void Signal(string signal, IEnumerable<int> pids)
    {
        foreach (int pid in pids)
        {
            try
            {
                Tool.Run("kill", $"-{signal}", pid.ToString(CultureInfo.InvariantCulture));
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    [Fact]
    public async Task PerConnectionSshdKilled_CallInFlightFailsAtOnce_TheSessionComesBack()
    {
        await using Host host = await Host.StartAsync(McpSshRun.Args(sshd, sshd.TestServerKey));
        Assert.Equal("echo: before", Text(await host.CallAsync(2, "echo", """{"message":"before"}""")));
        await host.Run.WriteLineAsync(Call(3, "slow", """{"steps":600,"stepMs":100}"""));
        Assert.Equal("echo: running", Text(await host.CallAsync(4, "echo", """{"message":"running"}""")));

        var clock = Stopwatch.StartNew();
        Signal("KILL", SessionTree(sshd));
        string error = ErrorMessage(await host.NextResponseAsync());
        TimeSpan detected = clock.Elapsed;
        Assert.StartsWith($"connection to 127.0.0.1:{sshd.Port} lost: ", error);
        Assert.EndsWith("mcp-ssh is reconnecting; retry the request", error);

        await host.WaitForNotificationAsync("notifications/tools/list_changed");
        TimeSpan recovered = clock.Elapsed;
        Assert.Equal("echo: after", Text(await host.CallAsync(5, "echo", """{"message":"after"}""")));
        Assert.Contains("Reconnected to 127.0.0.1:", host.Run.Stderr);
        Console.WriteLine($"fault sshd-killed: detected {detected.TotalMilliseconds:0} ms, recovered {recovered.TotalMilliseconds:0} ms");
        await host.EndAsync(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task SshdStoppedAndRestartedOnTheSamePort_WaitingRequestIsServedAfterRecovery()
    {
        var server = new SshdFixture();
        await server.InitializeAsync();
        try
        {
            await using Host host = await Host.StartAsync(McpSshRun.Args(server, server.TestServerKey));
            await host.Run.WriteLineAsync(Call(2, "slow", """{"steps":600,"stepMs":100}"""));
            Assert.Equal("echo: up", Text(await host.CallAsync(3, "echo", """{"message":"up"}""")));

            var clock = Stopwatch.StartNew();
            server.Stop();
            Assert.StartsWith($"connection to 127.0.0.1:{server.Port} lost: ", ErrorMessage(await host.NextResponseAsync()));
            TimeSpan detected = clock.Elapsed;

            // While the server is down: a request waits, reconnect attempts fail (connection refused) and are retried.
            await host.Run.WriteLineAsync(Call(4, "echo", """{"message":"waited"}"""));
            await host.Run.WaitForStderrAsync("Reconnect attempt 1 to 127.0.0.1:");
            await server.StartAgainAsync();

            JsonElement waited = await host.NextResponseAsync();
            TimeSpan recovered = clock.Elapsed;
            Assert.Equal(4, waited.GetProperty("id").GetInt32());
            Assert.Equal("echo: waited", Text(waited));
            Assert.Contains("notifications/tools/list_changed", host.Notifications);
            Console.WriteLine($"fault sshd-restarted: detected {detected.TotalMilliseconds:0} ms, recovered {recovered.TotalMilliseconds:0} ms (includes the restart)");
            await host.EndAsync(1, 2, 3, 4);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task HostKeyChangedWhileReconnecting_StopsWithTheReason_ExitFive()
    {
        var server = new SshdFixture();
        await server.InitializeAsync();
        try
        {
            await using Host host = await Host.StartAsync(McpSshRun.Args(server, server.TestServerKey));
            server.Stop();
            server.ReplaceHostKeys();
            await server.StartAgainAsync();

            // The next request waits for the reconnect, which refuses the new key: the request gets the reason, then mcp-ssh exits 5.
            await host.Run.WriteLineAsync(Call(2, "echo", """{"message":"never sent"}"""));
            string error = ErrorMessage(await host.NextResponseAsync());
            Assert.StartsWith($"mcp-ssh stopped reconnecting to 127.0.0.1:{server.Port}: HOST KEY CHANGED", error);
            Assert.Equal(5, await host.Run.WaitForExitAsync());
            Assert.Contains($"mcp-ssh: stopped reconnecting: HOST KEY CHANGED for [127.0.0.1]:{server.Port}", host.Run.Stderr);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task RemoteServerCrashes_ThatCallFails_TheNextReachesANewServer()
    {
        await using Host host = await Host.StartAsync(McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", sshd.TestServerCommand));
        string before = Text(await host.CallAsync(2, "pid", "{}"));

        var clock = Stopwatch.StartNew();
        JsonElement crash = await host.CallAsync(3, "crash", "{}");
        Assert.Equal($"connection to 127.0.0.1:{sshd.Port} lost: remote command exited with status 3. mcp-ssh is reconnecting; retry the request", ErrorMessage(crash));
        TimeSpan detected = clock.Elapsed;

        string after = Text(await host.CallAsync(4, "pid", "{}"));
        Console.WriteLine($"fault server-crash: detected {detected.TotalMilliseconds:0} ms, next call answered after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.NotEqual(before, after);
        await host.EndAsync(1, 2, 3, 4);
    }

    [Theory]
    [InlineData("link")] // every process of the session stopped: nothing answers, as with a dead network
    [InlineData("server")] // only the MCP server stopped: sshd buffers until the window is full, nothing answers
    public async Task SilentFarEnd_IsDetectedByKeepaliveWithinItsBound_ThenRecovers(string what)
    {
        await using Host host = await Host.StartAsync(McpSshRun.Args(sshd, sshd.TestServerKey, "--keepalive", "1", "--keepalive-count-max", "2"));
        Assert.Equal("echo: alive", Text(await host.CallAsync(2, "echo", """{"message":"alive"}""")));

        List<int> stopped = what == "link" ? SessionTree(sshd) : [.. SessionTree(sshd).Where(pid => CommandName(pid) == "dotnet")];
        Assert.NotEmpty(stopped);
        Signal("STOP", stopped);
        try
        {
            var clock = Stopwatch.StartNew();
            // A large request pending while the far end does not read.
            await host.Run.WriteLineAsync(Call(3, "measure", "{\"data\":\"" + new string('m', 4 * 1024 * 1024) + "\"}"));
            string error = ErrorMessage(await host.NextResponseAsync());
            TimeSpan detected = clock.Elapsed;
            Assert.Contains("no answer to 2 keepalive probe(s)", error);
            // Probes go out after 1 s idle, one per second; the third tick declares the link dead: about 3 s.
            Assert.InRange(detected, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(8));

            await host.WaitForNotificationAsync("notifications/tools/list_changed");
            Assert.Equal("echo: recovered", Text(await host.CallAsync(4, "echo", """{"message":"recovered"}""")));
            Console.WriteLine($"fault silent-{what}: detected {detected.TotalMilliseconds:0} ms, recovered {clock.Elapsed.TotalMilliseconds:0} ms");
            await host.EndAsync(1, 2, 3, 4);
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nmcp-ssh stderr:\n{host.Run.Stderr}", ex);
        }
        finally
        {
            Signal("KILL", stopped);
        }
    }

    [Fact]
    public async Task AHostThatStopsReadingStdout_IsNotTakenForADeadLink()
    {
        // Keepalive would declare the link dead after about 2 s of silence: probes at 1 s, one allowed unanswered.
        await using Host host = await Host.StartAsync(McpSshRun.Args(sshd, sshd.TestServerKey, "--keepalive", "1", "--keepalive-count-max", "1"));
        await host.Run.WriteLineAsync(Call(2, "payload", """{"size":4194304}"""));

        // The host does not read for 4 s (the fault itself, not a wait for something): mcp-ssh's write of the
        // 4 MiB answer to stdout blocks, and with it the thread that reads the SSH connection.
        await Task.Delay(TimeSpan.FromSeconds(4));

        JsonElement answer = await host.NextResponseAsync();
        Assert.Equal(4 * 1024 * 1024, Text(answer).Length);
        Assert.Equal("echo: still here", Text(await host.CallAsync(3, "echo", """{"message":"still here"}""")));
        Assert.DoesNotContain("lost", host.Run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("keepalive", host.Run.Stderr, StringComparison.Ordinal);
        await host.EndAsync(1, 2, 3);
    }

    [Fact]
    public async Task GarbageAndOversizedLinesFromTheRemote_AreDropped_TheSessionWorks()
    {
        string script = Path.Combine(sshd.Dir, $"noisy-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, $"printf 'not json\\n'; printf '{{\"half\": \\n'; head -c 5000 /dev/zero | tr '\\0' x; echo; exec {sshd.TestServerCommand}\n");
        await using Host host = await Host.StartAsync(McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", $"sh {script}", "--max-frame-bytes", "4096"));
        Assert.Equal("echo: fine", Text(await host.CallAsync(2, "echo", """{"message":"fine"}""")));

        // Logged with their first bytes, never relayed (RawMcpSsh parsed every stdout line as one JSON object).
        Assert.Contains($"Dropped a line from 127.0.0.1:{sshd.Port} that is not a JSON-RPC message (8 bytes", host.Run.Stderr);
        Assert.Contains("it began: not json", host.Run.Stderr);
        Assert.Contains($"Dropped a line from 127.0.0.1:{sshd.Port} longer than --max-frame-bytes (4096 bytes", host.Run.Stderr);
        await host.EndAsync(1, 2);
    }

    [Fact]
    public async Task Sigterm_DuringACall_TheCallIsAnsweredOnce_ThenExitZero()
    {
        await using Host host = await Host.StartAsync(McpSshRun.Args(sshd, sshd.TestServerKey));
        await host.Run.WriteLineAsync(Call(2, "slow", """{"steps":3,"stepMs":200}"""));
        Assert.Equal("echo: x", Text(await host.CallAsync(3, "echo", """{"message":"x"}""")));

        Tool.Run("kill", "-TERM", host.Run.Pid.ToString(CultureInfo.InvariantCulture));
        JsonElement slow = await host.NextResponseAsync();
        Assert.Equal(2, slow.GetProperty("id").GetInt32());
        Assert.Equal("done after 3 steps", Text(slow));
        Assert.Equal(0, await host.Run.WaitForExitAsync());
    }
}
