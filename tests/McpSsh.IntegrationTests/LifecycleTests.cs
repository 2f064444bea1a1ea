using System.Globalization;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>How sessions end: host EOF, signals, and the remote dying mid-call. Every request gets exactly one answer.</summary>
[Collection(SshdCollection.Name)]
public class LifecycleTests(SshdFixture sshd)
{
    private static string Call(int id, string tool, string arguments) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + "}}";

    private static async Task<RawMcpSsh> StartInitializedAsync(IEnumerable<string> args)
    {
        RawMcpSsh run = RawMcpSsh.Start(args);
        await run.WriteLineAsync(RawMcpSsh.Initialize);
        JsonElement init = await run.ReadMessageAsync();
        Assert.Equal(1, init.GetProperty("id").GetInt32());
        await run.WriteLineAsync(RawMcpSsh.Initialized);
        return run;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StdinEof_WithCallInFlight_AnswerIsDeliveredThenExitZero(bool exec)
    {
        List<string> args = exec
            ? McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", sshd.TestServerCommand)
            : McpSshRun.Args(sshd, sshd.TestServerKey);
        await using RawMcpSsh run = await StartInitializedAsync(args);

        await run.WriteLineAsync(Call(2, "slow", """{"steps":2,"stepMs":200}"""));
        run.CloseStdin();

        // Progress first, then the result: nothing in flight is lost when the host closes stdin.
        JsonElement message;
        do
        {
            message = await run.ReadMessageAsync();
        }
        while (!message.TryGetProperty("id", out _));
        Assert.Equal(2, message.GetProperty("id").GetInt32());
        Assert.Contains("done after 2 steps", message.GetProperty("result").GetRawText());
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    [Fact]
    public async Task Sigterm_EndsTheSessionCleanly()
    {
        await using RawMcpSsh run = await StartInitializedAsync(McpSshRun.Args(sshd, sshd.TestServerKey));
        await run.WriteLineAsync(Call(2, "echo", """{"message":"before"}"""));
        Assert.Equal(2, (await run.ReadMessageAsync()).GetProperty("id").GetInt32());

        Tool.Run("kill", "-TERM", run.Pid.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    [Fact]
    public async Task RemoteExitsMidCall_InFlightCallsGetOneErrorEachAndExitEight()
    {
        List<string> args = McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", sshd.TestServerCommand, "--no-reconnect");
        await using RawMcpSsh run = await StartInitializedAsync(args);

        await run.WriteLineAsync(Call(2, "wait_for_cancel", $$"""{"markerPath":"{{Path.Combine(sshd.Dir, "never")}}"}"""));
        await run.WriteLineAsync(Call(3, "crash", "{}"));

        var answers = new Dictionary<int, JsonElement>();
        while (answers.Count < 2)
        {
            JsonElement message = await run.ReadMessageAsync();
            answers.Add(message.GetProperty("id").GetInt32(), message);
        }

        foreach (JsonElement answer in answers.Values)
        {
            JsonElement error = answer.GetProperty("error");
            Assert.Equal(-32000, error.GetProperty("code").GetInt32());
            Assert.Equal($"connection to 127.0.0.1:{sshd.Port} closed: remote command exited with status 3", error.GetProperty("message").GetString());
        }

        Assert.Equal(8, await run.WaitForExitAsync());
        string line = Assert.Single(run.Stderr.Split('\n'), l => l.StartsWith("mcp-ssh:", StringComparison.Ordinal));
        Assert.Contains("remote command exited with status 3", line);
        Assert.Contains("2 request(s) in flight were answered with an error", line);
    }

    [Fact]
    public async Task RemoteExitsMidCall_SdkClientSeesAnErrorNotAHang_ThenTheSessionComesBack()
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(McpSshRun.Args(sshd, sshd.TestServerKey));
        string pidBefore = ((TextContentBlock)(await session.Client.CallToolAsync("pid")).Content[0]).Text;
        McpProtocolException error = await Assert.ThrowsAsync<McpProtocolException>(() => session.Client.CallToolAsync("crash").AsTask());
        Assert.Contains($"connection to 127.0.0.1:{sshd.Port} lost: the server closed the shell channel. mcp-ssh is reconnecting", error.Message);

        // The next call waits for the new connection (the session is replayed on it) and reaches a new server.
        string pidAfter = ((TextContentBlock)(await session.Client.CallToolAsync("pid")).Content[0]).Text;
        Assert.NotEqual(pidBefore, pidAfter);
    }

    [Fact]
    public async Task MalformedAndOversizedLines_AreAnsweredAndTheSessionContinues()
    {
        await using RawMcpSsh run = await StartInitializedAsync(McpSshRun.Args(sshd, sshd.TestServerKey, "--max-frame-bytes", "4096"));

        await run.WriteLineAsync("""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo",}""");
        JsonElement parse = await run.ReadMessageAsync();
        Assert.Equal(7, parse.GetProperty("id").GetInt32());
        Assert.Equal(-32700, parse.GetProperty("error").GetProperty("code").GetInt32());

        await run.WriteLineAsync(Call(8, "measure", $$"""{"data":"{{new string('z', 10_000)}}"}"""));
        JsonElement oversized = await run.ReadMessageAsync();
        Assert.Equal(8, oversized.GetProperty("id").GetInt32());
        Assert.Equal(-32600, oversized.GetProperty("error").GetProperty("code").GetInt32());

        await run.WriteLineAsync("[1,2]");
        Assert.Equal(JsonValueKind.Null, (await run.ReadMessageAsync()).GetProperty("id").ValueKind);

        await run.WriteLineAsync(Call(9, "echo", """{"message":"still here"}"""));
        JsonElement ok = await run.ReadMessageAsync();
        Assert.Equal(9, ok.GetProperty("id").GetInt32());
        Assert.Contains("echo: still here", ok.GetProperty("result").GetRawText());

        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }
}
