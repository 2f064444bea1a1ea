using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using McpSsh.Cli.Commands;

namespace McpSsh.Tests.Cli;

/// <summary>Issue 15: a client that cannot connect answers the host's requests with its one-line error.</summary>
public class HostErrorAnswerTests
{
    private const string Message = "mcp-ssh: connection refused by 127.0.0.1:1: no SSH server is listening there. Check --host and --port";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static async Task<(int Answered, List<JsonElement> Lines)> AnswerAsync(string input, TimeSpan? wait = null)
    {
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes(input));
        using var stdout = new MemoryStream();
        int answered = await HostErrorAnswer.AnswerRequestsAsync(stdin, stdout, Message, wait ?? Wait, CancellationToken.None);
        string text = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "every answer is one line");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (answered, lines);
    }

    private static void AssertError(JsonElement answer, string rawId)
    {
        Assert.Equal("2.0", answer.GetProperty("jsonrpc").GetString());
        Assert.Equal(rawId, answer.GetProperty("id").GetRawText());
        Assert.Equal(-32000, answer.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(Message, answer.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Answer_DiscoverThenInitialize_BothGetTheErrorWithTheirIds()
    {
        (int answered, List<JsonElement> lines) = await AnswerAsync(
            """{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}}}""" + "\n"
            + """{"jsonrpc":"2.0","id":"init-2","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""" + "\r\n");

        Assert.Equal(2, answered);
        AssertError(lines[0], "1");
        AssertError(lines[1], "\"init-2\"");
    }

    [Fact]
    public async Task Answer_NotificationsAndResponsesAndBlankLines_AreSkipped()
    {
        (int answered, List<JsonElement> lines) = await AnswerAsync(
            "\n   \n" + """{"jsonrpc":"2.0","method":"notifications/initialized"}""" + "\n"
            + """{"jsonrpc":"2.0","id":5,"result":{}}""" + "\n"
            + """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""");

        Assert.Equal(1, answered);
        AssertError(Assert.Single(lines), "7");
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"initialize\",\"params\":{", "3")]   // broken JSON: id recovered
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"method\":\"initialize\"}", "\"\\ud800\"")] // lone surrogate id: echoed as escaped, as the relay does
    [InlineData("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}]", "null")]         // a batch
    [InlineData("not json at all", "null")]
    public async Task Answer_MalformedFirstLine_GetsAValidAnswer(string line, string rawId)
    {
        (int answered, List<JsonElement> lines) = await AnswerAsync(line + "\n");

        Assert.Equal(1, answered);
        AssertError(Assert.Single(lines), rawId);
    }

    [Fact]
    public async Task Answer_LoneSurrogateInTheMessage_IsReplacedSoTheAnswerStaysJson()
    {
        using var stdin = new MemoryStream("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}\n"u8.ToArray());
        using var stdout = new MemoryStream();

        await HostErrorAnswer.AnswerRequestsAsync(stdin, stdout, "mcp-ssh: bad \ud800 path", Wait, CancellationToken.None);

        using var doc = JsonDocument.Parse(stdout.ToArray());
        Assert.Equal("mcp-ssh: bad \ufffd path", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Answer_StdinEndsWithoutARequest_WritesNothing()
    {
        (int answered, List<JsonElement> lines) = await AnswerAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""" + "\n");

        Assert.Equal(0, answered);
        Assert.Empty(lines);
    }

    [Fact]
    public async Task Answer_NoRequestWithinTheWait_GivesUp()
    {
        var pipe = new Pipe();
        using var stdout = new MemoryStream();

        // Nothing is ever written and stdin never ends: the bounded wait ends it.
        int answered = await HostErrorAnswer.AnswerRequestsAsync(pipe.Reader.AsStream(), stdout, Message, TimeSpan.FromMilliseconds(200), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, answered);
        Assert.Equal(0, stdout.Length);
    }

    [Fact]
    public async Task Answer_RequestArrivesByteByByte_IsAnswered()
    {
        var pipe = new Pipe();
        using var stdout = new MemoryStream();
        Task<int> answering = HostErrorAnswer.AnswerRequestsAsync(pipe.Reader.AsStream(), stdout, Message, Wait, CancellationToken.None);
        foreach (byte b in "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"initialize\"}\n"u8.ToArray())
        {
            await pipe.Writer.WriteAsync(new[] { b });
        }

        await pipe.Writer.CompleteAsync();

        Assert.Equal(1, await answering.WaitAsync(TimeSpan.FromSeconds(30)));
        using var doc = JsonDocument.Parse(stdout.ToArray());
        Assert.Equal(9, doc.RootElement.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Answer_LineLargerThanTheLimit_IsAnsweredWithItsRecoveredId()
    {
        string huge = "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"x\":\"" + new string('a', 3 * 1024 * 1024) + "\"}}";

        (int answered, List<JsonElement> lines) = await AnswerAsync(huge + "\n");

        Assert.Equal(1, answered);
        AssertError(Assert.Single(lines), "42");
    }

    [Fact]
    public async Task Answer_ZeroWait_ReadsNothing()
    {
        using var stdin = new MemoryStream("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}\n"u8.ToArray());
        using var stdout = new MemoryStream();

        Assert.Equal(0, await HostErrorAnswer.AnswerRequestsAsync(stdin, stdout, Message, TimeSpan.Zero, CancellationToken.None));
        Assert.Equal(0, stdin.Position);
    }
}
