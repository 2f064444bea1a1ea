using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Reconnects of a modern (2026-07-28) session against the real sshd and the TypeScript SDK v2 server in its
/// modern-only mode (<c>v2-server.mjs reject</c>): a listen survives a dropped link under the host's own id, the
/// host is told to re-list with stamped notifications, keepalive holds the link, and a real v2 client's probe
/// and close end the mcp-ssh it spawns promptly.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class ModernReconnectTests(SshdFixture sshd)
{
    private const string Meta = """{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}""";

    private static string V2Server => Path.Combine(TestPaths.RepoRoot, "tests", "node", "v2-server.mjs");

    private List<string> ModernOnlyArgs(params string[] extra) =>
        McpSshRun.Args(sshd, sshd.ExecKey, ["--remote-command", $"{TestPaths.Node} {V2Server} reject v2-modern", .. extra]);

    private static string Request(string id, string method, string paramsMembers = "") =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{" + paramsMembers + "\"_meta\":" + Meta + "}}";

    private static string? SubscriptionId(JsonElement message) =>
        message.TryGetProperty("params", out JsonElement p) && p.TryGetProperty("_meta", out JsonElement meta) && meta.TryGetProperty("io.modelcontextprotocol/subscriptionId", out JsonElement id)
            ? id.GetRawText()
            : null;

    private static string Method(JsonElement message) => message.TryGetProperty("method", out JsonElement m) ? m.GetString()! : "";

    /// <summary>Reads messages until one matches; every message on the way is kept in <paramref name="seen"/>.</summary>
    private static async Task<JsonElement> ReadUntilAsync(RawMcpSsh run, List<JsonElement> seen, Func<JsonElement, bool> match)
    {
        while (true)
        {
            JsonElement message = await run.ReadMessageAsync();
            seen.Add(message);
            if (match(message))
            {
                return message;
            }
        }
    }

    private void KillSessions()
    {
        foreach (int pid in sshd.SessionPids().SelectMany(pid => SshdFixture.Descendants(pid).Prepend(pid)))
        {
            try
            {
                Tool.Run("kill", "-KILL", pid.ToString(CultureInfo.InvariantCulture));
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    [Fact]
    public async Task LinkDropped_TheHostsListenDeliversAgainUnderItsOwnId_AndTheHostIsToldToRelistStamped()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(ModernOnlyArgs());
        var seen = new List<JsonElement>();
        try
        {
            await run.WriteLineAsync(Request("0", "tools/list"));
            Assert.Contains("\"echo\"", (await ReadUntilAsync(run, seen, m => m.TryGetProperty("id", out _))).GetRawText());
            await run.WriteLineAsync(Request("\"listen:0\"", "subscriptions/listen", "\"notifications\":{\"toolsListChanged\":true,\"resourceSubscriptions\":[\"res://static\"]},"));
            JsonElement ack = await ReadUntilAsync(run, seen, m => Method(m) == "notifications/subscriptions/acknowledged");
            Assert.Equal("\"listen:0\"", SubscriptionId(ack));

            KillSessions();

            // After the reconnect: mcp-ssh's re-list hint, stamped with the host's listen id; no error ends the listen.
            JsonElement relist = await ReadUntilAsync(run, seen, m => Method(m) == "notifications/tools/list_changed");
            Assert.Equal("\"listen:0\"", SubscriptionId(relist));
            Assert.Contains("subscriptions/listen \"listen:0\"", run.Stderr);

            // The new server delivers to the re-established listen, under the same id.
            await run.WriteLineAsync(Request("2", "tools/call", "\"name\":\"bump\",\"arguments\":{},"));
            int relisted = seen.Count;
            Assert.Contains("bumped", (await ReadUntilAsync(run, seen, m => m.TryGetProperty("id", out JsonElement id) && id.GetRawText() == "2")).GetRawText());
            // The server's own change notifications came before its answer, both stamped with the host's listen id.
            JsonElement updated = Assert.Single(seen.Skip(relisted), m => Method(m) == "notifications/resources/updated");
            Assert.Equal("\"listen:0\"", SubscriptionId(updated));
            Assert.Equal("\"listen:0\"", SubscriptionId(Assert.Single(seen.Skip(relisted), m => Method(m) == "notifications/tools/list_changed")));

            Assert.DoesNotContain(seen, m => m.TryGetProperty("id", out JsonElement id) && id.GetRawText() == "\"listen:0\"");
            Assert.Single(seen, m => Method(m) == "notifications/subscriptions/acknowledged"); // the re-send's own ack was not passed on
            run.CloseStdin();
            Assert.Equal(0, await run.WaitForExitAsync());
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nseen: {string.Join("\n", seen)}\nmcp-ssh stderr:\n{run.Stderr}", ex);
        }
    }

    [Fact]
    public async Task Keepalive_AgainstAModernOnlyServer_ProbesWithDiscover_AndKeepsTheLink()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(ModernOnlyArgs("--keepalive", "1", "--keepalive-count-max", "3", "--log-level", "DEBUG"));
        try
        {
            await run.WriteLineAsync(Request("0", "tools/list"));
            Assert.Equal(0, (await run.ReadResponseAsync()).GetProperty("id").GetInt32());

            // Each idle second brings a probe. The count starts again at 1 only after a frame came back, so a third
            // "probe 1" means the server answered the probes before it (room for slow answers on a loaded machine).
            await run.WaitForStderrAsync("Keepalive probe 1 (server/discover)", times: 3);

            Assert.DoesNotContain("(ping)", run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("lost", run.Stderr, StringComparison.Ordinal);
            await run.WriteLineAsync(Request("1", "tools/call", "\"name\":\"echo\",\"arguments\":{\"text\":\"still here\"},"));
            Assert.Contains("still here", (await run.ReadResponseAsync()).GetRawText());
            run.CloseStdin();
            Assert.Equal(0, await run.WaitForExitAsync());
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nmcp-ssh stderr:\n{run.Stderr}", ex);
        }
    }

    [Theory]
    [InlineData("auto")] // a throwaway sibling gets one server/discover, then its stdin is closed and it is signalled
    [InlineData("pin")]
    public async Task RealV2Client_ConnectsThroughMcpSsh_AndTheProcessesItSpawnsEndPromptly(string mode)
    {
        string script = Path.Combine(TestPaths.RepoRoot, "tests", "node", "v2-host-timing.mjs");
        var start = new ProcessStartInfo(TestPaths.Node) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[script, mode, TestPaths.McpSshBinary, .. ModernOnlyArgs()])
        {
            start.ArgumentList.Add(arg);
        }

        using Process host = Process.Start(start)!;
        Task<string> stderr = host.StandardError.ReadToEndAsync();
        try
        {
            string stdout = await host.StandardOutput.ReadToEndAsync().WaitAsync(McpSshRun.Timeout);
            await host.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
            Assert.True(host.ExitCode == 0, $"v2 host exited {host.ExitCode}: {await stderr}");
            using JsonDocument result = JsonDocument.Parse(stdout);
            JsonElement root = result.RootElement;
            Console.WriteLine($"v2 client {mode}: {root}");
            Assert.Equal("hi", root.GetProperty("echo").GetString());
            Assert.Contains("echo", root.GetProperty("tools").EnumerateArray().Select(t => t.GetString()));
            // A probe that did not end the sibling would cost the SDK's 60 s probe timeout; a close that does
            // not end mcp-ssh on stdin EOF costs 2 s before the SDK signals it.
            Assert.InRange(root.GetProperty("connectMs").GetInt32(), 0, 30_000);
            Assert.InRange(root.GetProperty("closeMs").GetInt32(), 0, 1_999);
            Assert.True(root.GetProperty("exitedAfterClose").GetBoolean());
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task RealV2Host_ListenSurvivesADroppedLink_TheSdkRelists_AndItsCloseEndsMcpSshPromptly()
    {
        var start = new ProcessStartInfo(TestPaths.Node) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[Path.Combine(TestPaths.RepoRoot, "tests", "node", "v2-host-listen.mjs"), TestPaths.McpSshBinary, .. ModernOnlyArgs()])
        {
            start.ArgumentList.Add(arg);
        }

        using Process host = Process.Start(start)!;
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        host.ErrorDataReceived += (_, e) => stderr.Enqueue(e.Data ?? "");
        host.BeginErrorReadLine();
        var events = new List<string>();
        async Task<JsonElement> NextEventAsync(string name)
        {
            while (true)
            {
                string? line = await host.StandardOutput.ReadLineAsync().WaitAsync(McpSshRun.Timeout);
                Assert.NotNull(line);
                events.Add(line);
                using JsonDocument doc = JsonDocument.Parse(line);
                if (doc.RootElement.GetProperty("event").GetString() == name)
                {
                    return doc.RootElement.Clone();
                }
            }
        }

        try
        {
            Assert.Contains("toolsListChanged", (await NextEventAsync("connected")).GetRawText()); // the SDK's own listen, acknowledged
            KillSessions();

            // mcp-ssh's stamped hint reaches the SDK's listen handler: it re-lists by itself.
            Assert.Contains("bump", (await NextEventAsync("toolsChanged")).GetRawText());
            await host.StandardInput.WriteLineAsync("bump");
            await host.StandardInput.FlushAsync();
            await NextEventAsync("bumped");
            // The new server's own list_changed, delivered to the re-established listen.
            Assert.Contains("extra1", (await NextEventAsync("toolsChanged")).GetRawText());
            Assert.DoesNotContain(events, e => e.Contains("listenClosed", StringComparison.Ordinal));

            await host.StandardInput.WriteLineAsync("close");
            await host.StandardInput.FlushAsync();
            JsonElement closed = await NextEventAsync("closed");
            // The SDK closes stdin and signals mcp-ssh only if it is still there after 2 s.
            Assert.InRange(closed.GetProperty("closeMs").GetInt32(), 0, 1_999);
            Assert.True(closed.GetProperty("exitedAfterClose").GetBoolean());
            await host.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nevents:\n{string.Join("\n", events)}\nstderr:\n{string.Join("\n", stderr)}", ex);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }
}
