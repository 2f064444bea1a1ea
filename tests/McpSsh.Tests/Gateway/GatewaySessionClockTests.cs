using System.IO.Pipelines;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.Gateway;
using McpSsh.Tests.Relay;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Gateway;

/// <summary>
/// A backend that keeps dying is restarted with backoff (none for the first restart, then 0.5 s doubling) on the
/// session's clock: here a clock the test moves, so no test waits on real time for a restart. The backend is a
/// real process (a small sh script speaking legacy MCP) that exits on the `crash` tool and, once crashed, dies on
/// its first line at every restart until the test lets it come up again.
/// </summary>
public class GatewaySessionClockTests : IDisposable
{
    private const string Script = """
        echo start >> "$1/starts"
        if [ -e "$1/down" ]; then read -r line; exit 1; fi
        while IFS= read -r line; do
          id=$(printf '%s\n' "$line" | sed -n 's/.*"id":\([0-9][0-9]*\).*/\1/p')
          case "$line" in
            *'"method":"server/discover"'*) printf '{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"Method not found"}}\n' "$id" ;;
            *'"method":"initialize"'*) printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"flaky","version":"1"}}}\n' "$id" ;;
            *'"method":"tools/list"'*) printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"crash","inputSchema":{"type":"object"}},{"name":"echo","inputSchema":{"type":"object"}}]}}\n' "$id" ;;
            *'"name":"crash"'*) touch "$1/down"; exit 3 ;;
            *'"method":"tools/call"'*) printf '{"jsonrpc":"2.0","id":%s,"result":{"content":[{"type":"text","text":"ok"}]}}\n' "$id" ;;
          esac
        done
        """;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly ManualTimeProvider _time = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-restart-").FullName;
    private readonly Pipe _input = new();
    private readonly HostOutput _output = new();
    private int _nextId = 1;

    [Fact]
    public async Task DyingBackend_IsRestartedAtOnceThenAfterHalfASecondDoubling_OnTheSessionsClock()
    {
        string script = Path.Combine(_dir, "flaky.sh");
        File.WriteAllText(script, Script);
        var config = new ServerConfig("flaky", "sh", [script, _dir], new Dictionary<string, string>(), null);
        var session = new GatewaySession([config], _input.Reader, _output, new GatewayOptions(), NullLogger.Instance, _time);
        Task run = session.RunAsync(CancellationToken.None);

        await CallAsync("initialize", """{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}""");
        await SendAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await CallAsync("tools/list", "{}");
        Assert.Equal(1, Starts());

        Assert.Contains("backend flaky exited with status 3 before answering", ErrorOf(await ToolAsync("crash")));

        // The first restart is immediate: the next call starts it (it dies), and the next attempt is 0.5 s away.
        Assert.EndsWith("next restart attempt in 0.5 s", ErrorOf(await ToolAsync("echo")));
        Assert.Equal(2, Starts());

        // The clock stands still: no attempt, the same wait is reported.
        Assert.EndsWith("next restart attempt in 0.5 s", ErrorOf(await ToolAsync("echo")));
        _time.Advance(TimeSpan.FromSeconds(0.4));
        Assert.EndsWith("next restart attempt in 0.1 s", ErrorOf(await ToolAsync("echo")));
        Assert.Equal(2, Starts());

        // Due: the next call attempts again (dies again) and the wait doubles.
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.EndsWith("next restart attempt in 1 s", ErrorOf(await ToolAsync("echo")));
        Assert.Equal(3, Starts());
        _time.Advance(TimeSpan.FromSeconds(0.9));
        Assert.EndsWith("next restart attempt in 0.1 s", ErrorOf(await ToolAsync("echo")));
        Assert.Equal(3, Starts());

        // It can come up now: once due, the call is answered by the restarted backend.
        File.Delete(Path.Combine(_dir, "down"));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        JsonNode answered = await ToolAsync("echo");
        Assert.Equal("ok", answered["result"]?["content"]?[0]?["text"]?.GetValue<string>());
        Assert.Equal(4, Starts());

        await _input.Writer.CompleteAsync();
        await run.WaitAsync(Wait);
    }

    [Fact]
    public async Task SilentHost_EndsTheSessionWhenTheFirstFrameBoundPasses_OnTheSessionsClock()
    {
        var options = new GatewayOptions { FirstFrameTimeout = TimeSpan.FromSeconds(5) };
        var session = new GatewaySession([], _input.Reader, _output, options, NullLogger.Instance, _time);
        Task run = session.RunAsync(CancellationToken.None);

        await _time.WhenPendingAsync(1).WaitAsync(Wait);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(run.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        await run.WaitAsync(Wait);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private int Starts() => File.ReadAllLines(Path.Combine(_dir, "starts")).Length;

    private static string ErrorOf(JsonNode response) =>
        response["error"]?["message"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"expected an error, got {response.ToJsonString()}");

    private Task<JsonNode> ToolAsync(string name) => CallAsync("tools/call", "{\"name\":\"" + name + "\",\"arguments\":{}}");

    /// <summary>Sends one request and returns its response, skipping notifications (list_changed) on the way.</summary>
    private async Task<JsonNode> CallAsync(string method, string parameters)
    {
        int id = _nextId++;
        await SendAsync($$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""");
        while (true)
        {
            JsonNode message = JsonNode.Parse(await _output.NextAsync().WaitAsync(Wait))!;
            if (message["id"]?.GetValue<int>() == id)
            {
                return message;
            }
        }
    }

    private async Task SendAsync(string line) => await _input.Writer.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
}
