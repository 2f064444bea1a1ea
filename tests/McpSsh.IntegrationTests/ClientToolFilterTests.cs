using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// The client's --allow-tools / --deny-tools over a real sshd, against the C# SDK test server (2025 era) and the
/// TypeScript SDK v2 server (2026-07-28 era). The oracle for "every other frame stays byte-for-byte" is the
/// same exchange through mcp-ssh without a filter: the two runs must differ only in the filtered tools.
/// </summary>
[Collection(SshdCollection.Name)]
public class ClientToolFilterTests(SshdFixture sshd)
{
    private const string Envelope = "\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\",\"io.modelcontextprotocol/clientCapabilities\":{}}";

    /// <summary>Sends each line in turn and returns each answer's exact text (a response per request, in order).</summary>
    private static async Task<List<string>> ExchangeAsync(IEnumerable<string> args, IEnumerable<string?> lines)
    {
        await using RawMcpSsh run = RawMcpSsh.Start(args);
        var answers = new List<string>();
        foreach (string? line in lines)
        {
            if (line is null)
            {
                continue;
            }

            await run.WriteLineAsync(line);
            if (line.Contains("\"id\"", StringComparison.Ordinal))
            {
                answers.Add((await run.ReadResponseAsync()).GetRawText()); // the raw text of the line as it came
            }
        }

        run.CloseStdin();
        Assert.Equal(0, await run.WaitForExitAsync());
        return answers;
    }

    private static string Request(int id, string method, string parameters) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"{method}\",\"params\":{parameters}}}";

    private static List<string> ToolNames(string answer)
    {
        using var doc = JsonDocument.Parse(answer);
        return [.. doc.RootElement.GetProperty("result").GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!)];
    }

    /// <summary>The unfiltered answer with the named tools' items (and one comma each) cut out of its text.</summary>
    private static string WithoutTools(string answer, params string[] names)
    {
        using var doc = JsonDocument.Parse(answer);
        string expected = answer;
        foreach (JsonElement tool in doc.RootElement.GetProperty("result").GetProperty("tools").EnumerateArray().Where(t => names.Contains(t.GetProperty("name").GetString())))
        {
            string raw = tool.GetRawText();
            expected = expected.Contains(raw + ",", StringComparison.Ordinal) ? expected.Replace(raw + ",", "", StringComparison.Ordinal) : expected.Replace("," + raw, "", StringComparison.Ordinal);
        }

        return expected;
    }

    [Fact]
    public async Task LegacyServer_FilteredToolsAbsent_CallRefusedWithTheFilter_OtherFramesByteIdentical()
    {
        string[] lines =
        [
            RawMcpSsh.Initialize, RawMcpSsh.Initialized,
            Request(2, "tools/list", "{}"),
            Request(3, "prompts/list", "{}"),
            Request(4, "resources/list", "{}"),
            Request(5, "tools/call", "{\"name\":\"echo\",\"arguments\":{\"message\":\"hi\"}}"),
            Request(6, "tools/call", "{\"name\":\"wait_for_cancel\",\"arguments\":{}}"),
            Request(7, "tools/call", "{\"name\":\"pid\",\"arguments\":{}}"),
        ];

        List<string> plain = await ExchangeAsync(McpSshRun.Args(sshd, sshd.TestServerKey), lines.Where(l => !l.Contains("\"id\":6", StringComparison.Ordinal) && !l.Contains("\"id\":7", StringComparison.Ordinal)));
        List<string> filtered = await ExchangeAsync(McpSshRun.Args(sshd, sshd.TestServerKey, "--deny-tools", "wait_*,pi?", "--allow-tools", "*"), lines);

        Assert.Contains("wait_for_cancel", ToolNames(plain[1]));
        Assert.Contains("pid", ToolNames(plain[1]));
        Assert.Equal(ToolNames(plain[1]).Except(["wait_for_cancel", "pid"]), ToolNames(filtered[1]));
        Assert.Equal(WithoutTools(plain[1], "wait_for_cancel", "pid"), filtered[1]);

        // initialize, prompts/list, resources/list and an allowed call: the very bytes the unfiltered relay gives.
        Assert.Equal(plain[0], filtered[0]);
        Assert.Equal(plain[2], filtered[2]);
        Assert.Equal(plain[3], filtered[3]);
        Assert.Equal(plain[4], filtered[4]);

        // A filtered call never reaches the server (wait_for_cancel would block there): refused at once, naming the glob.
        Assert.Equal("""{"jsonrpc":"2.0","id":6,"error":{"code":-32602,"message":"tool \u0022wait_for_cancel\u0022 is filtered out by mcp-ssh: it matches --deny-tools glob \u0022wait_*\u0022; the call was not sent"}}""", filtered[5]);
        Assert.Contains("it matches --deny-tools glob \\u0022pi?\\u0022", filtered[6]);
    }

    [Fact]
    public async Task ModernServer_ToolsListKeepsResultTypeTtlCacheScopeAndMeta_CallRefused()
    {
        string v2 = Path.Combine(TestPaths.RepoRoot, "tests", "node", "v2-server.mjs");
        string[] connect = [.. McpSshRun.Args(sshd, sshd.ExecKey), "--remote-command", $"{TestPaths.Node} {v2} reject"];
        string[] lines =
        [
            Request(1, "server/discover", $"{{{Envelope}}}"),
            Request(2, "tools/list", $"{{{Envelope}}}"),
            Request(3, "prompts/list", $"{{{Envelope}}}"),
            Request(4, "tools/call", $"{{\"name\":\"echo\",\"arguments\":{{\"text\":\"hi\"}},{Envelope}}}"),
            Request(5, "tools/call", $"{{\"name\":\"slow\",\"arguments\":{{}},{Envelope}}}"),
        ];

        List<string> plain = await ExchangeAsync(connect, lines[..4]);
        List<string> filtered = await ExchangeAsync([.. connect, "--deny-tools", "slow,bump"], lines);

        Assert.Contains("\"resultType\":\"complete\"", plain[1]);
        Assert.Contains("\"cacheScope\"", plain[1]);
        Assert.Equal(["echo", "confirm", "sample", "log"], ToolNames(filtered[1]));
        Assert.Equal(WithoutTools(plain[1], "slow", "bump"), filtered[1]); // resultType, ttlMs, cacheScope, _meta: same bytes
        Assert.Equal(plain[0], filtered[0]);
        Assert.Equal(plain[2], filtered[2]);
        Assert.Equal(plain[3], filtered[3]);
        Assert.Contains("tool \\u0022slow\\u0022 is filtered out by mcp-ssh: it matches --deny-tools glob \\u0022slow\\u0022", filtered[4]);
    }
}
