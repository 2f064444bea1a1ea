using System.Text;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Issue 16, against the real sshd: a remote line above the streaming threshold goes to the host as it arrives;
/// one that turns out malformed or too large mid-way reaches the host as a line ended there (its parser rejects
/// it), followed by the usual error for its id, and the session goes on. The far end is <c>cat</c> or a shell
/// script that writes exactly the bytes each case needs.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class StreamedFrameTests(SshdFixture sshd)
{
    private const string Script = """
        big() { head -c "$1" /dev/zero | tr '\0' "$2"; }
        while IFS= read -r line; do
          id=$(printf '%s' "$line" | sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p')
          case "$line" in
            *'"method":"broken"'*) printf '{"jsonrpc":"2.0","id":%s,"result":{"text":"' "$id"; big 1000000 a; printf '\001'; big 1000000 b; printf '"}}\n' ;;
            *'"method":"notutf8"'*) printf '{"result":{"text":"'; big 1000000 a; printf '\377'; big 1000000 b; printf '"},"jsonrpc":"2.0","id":%s}\n' "$id" ;;
            *'"method":"huge"'*) printf '{"result":{"text":"'; big 3000000 a; printf '"},"jsonrpc":"2.0","id":%s}\n' "$id" ;;
            *'"method":"dies"'*) printf '{"jsonrpc":"2.0","id":%s,"result":{"text":"' "$id"; big 1000000 a; exit 1 ;;
            *) [ -n "$id" ] && printf '{"jsonrpc":"2.0","id":%s,"result":{}}\n' "$id" ;;
          esac
        done
        """;

    private static string Request(int id, string method) => $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\"}}";

    private RawMcpSsh StartScript(params string[] extra)
    {
        string script = Path.Combine(sshd.Dir, $"streamed-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, Script + "\n");
        return RawMcpSsh.Start(McpSshRun.Args(sshd, sshd.ExecKey, ["--remote-command", $"sh {script}", .. extra]));
    }

    private static bool IsJson(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task NextCallWorksAsync(RawMcpSsh run, int id)
    {
        await run.WriteLineAsync(Request(id, "ping"));
        Assert.Equal($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":{{}}}}", await run.ReadLineAsync());
    }

    [Fact]
    public async Task A16MiBLine_ThroughCat_ComesBackByteIdentical()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", "cat"));
        var text = new StringBuilder(16 * 1024 * 1024);
        while (text.Length < 16 * 1024 * 1024)
        {
            text.Append("é€😀 \\\"q\\\" \\u00e9\\n base64+/= ");
        }

        string line = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/blob\",\"params\":{\"text\":\"" + text + "\"}}";
        Task write = run.WriteLineAsync(line); // cat answers while it is still being written
        string back = await run.ReadLineAsync();
        await write;
        Assert.Equal(line.Length, back.Length);
        Assert.Equal(line, back);
        await NextNotificationEchoesAsync(run);
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    private static async Task NextNotificationEchoesAsync(RawMcpSsh run)
    {
        const string small = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/small\"}";
        await run.WriteLineAsync(small);
        Assert.Equal(small, await run.ReadLineAsync());
    }

    [Fact]
    public async Task MalformedMidWay_TheHostsLineIsEnded_ItsIdIsAnswered_TheSessionGoesOn()
    {
        await using RawMcpSsh run = StartScript();
        await run.WriteLineAsync(Request(2, "broken"));

        string ended = await run.ReadLineAsync();
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"text\":\"aaaa", ended);
        Assert.False(IsJson(ended));
        Assert.DoesNotContain("b", ended, StringComparison.Ordinal);
        JsonElement error = JsonDocument.Parse(await run.ReadLineAsync()).RootElement;
        Assert.Equal(2, error.GetProperty("id").GetInt32());
        Assert.Equal(-32603, error.GetProperty("error").GetProperty("code").GetInt32());

        await NextCallWorksAsync(run, 3);
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    [Fact]
    public async Task InvalidUtf8MidWay_WithTheIdLast_IsAnsweredWithThatId()
    {
        await using RawMcpSsh run = StartScript();
        await run.WriteLineAsync(Request(4, "notutf8"));

        Assert.False(IsJson(await run.ReadLineAsync()));
        JsonElement error = JsonDocument.Parse(await run.ReadLineAsync()).RootElement;
        Assert.Equal(4, error.GetProperty("id").GetInt32());
        Assert.Contains("invalid UTF-8", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        await NextCallWorksAsync(run, 5);
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    [Fact]
    public async Task OverTheLimitMidWay_TheHostsLineIsEnded_TheSizeErrorNamesTheId()
    {
        await using RawMcpSsh run = StartScript("--max-frame-bytes", "1000000");
        await run.WriteLineAsync(Request(6, "huge"));

        string ended = await run.ReadLineAsync();
        Assert.InRange(ended.Length, 1, 1_000_000);
        JsonElement error = JsonDocument.Parse(await run.ReadLineAsync()).RootElement;
        Assert.Equal(6, error.GetProperty("id").GetInt32());
        Assert.Contains("--max-frame-bytes", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        await NextCallWorksAsync(run, 7);
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    [Fact]
    public async Task AMalformedRequestMidWay_TheFarEndsLineIsEnded_TheHostGetsTheError_TheSessionGoesOn()
    {
        await using RawMcpSsh run = RawMcpSsh.Start(McpSshRun.Args(sshd, sshd.ExecKey, "--remote-command", "cat"));
        string head = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"d\":\"" + new string('a', 1_000_000);
        await run.WritePartialAsync(head);
        await run.WriteLineAsync("\u0001" + new string('b', 1_000_000) + "\"}}");

        // cat sends back what reached it: the line as it was ended. The host's error may come before or after it.
        string[] lines = [await run.ReadLineAsync(), await run.ReadLineAsync()];
        string echo = Assert.Single(lines, l => l.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\"", StringComparison.Ordinal));
        Assert.False(IsJson(echo));
        Assert.DoesNotContain("b", echo, StringComparison.Ordinal);
        JsonElement error = JsonDocument.Parse(Assert.Single(lines, l => l != echo)).RootElement;
        Assert.Equal(3, error.GetProperty("id").GetInt32());
        Assert.Equal(-32700, error.GetProperty("error").GetProperty("code").GetInt32());

        await NextNotificationEchoesAsync(run);
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }

    [Fact]
    public async Task LinkLostMidLine_TheHostsLineIsEnded_ItsIdGetsConnectionClosed_TheSessionComesBack()
    {
        await using RawMcpSsh run = StartScript();
        await NextCallWorksAsync(run, 1);
        await run.WriteLineAsync(Request(8, "dies"));

        string ended = await run.ReadLineAsync();
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":{\"text\":\"aaaa", ended);
        Assert.False(IsJson(ended));
        JsonElement error = JsonDocument.Parse(await run.ReadLineAsync()).RootElement;
        Assert.Equal(8, error.GetProperty("id").GetInt32());
        Assert.Equal(-32000, error.GetProperty("error").GetProperty("code").GetInt32());

        await NextCallWorksAsync(run, 9); // on a new link: the script started again
        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
    }
}
