using System.Buffers;
using System.Text;
using System.Text.Json;
using McpSsh.Filtering;
using McpSsh.Tests.Framing;

namespace McpSsh.Tests.Filtering;

/// <summary>
/// Seeded random tools/list answers (names with escapes and non-ASCII, odd spacing, extra members in every era's
/// shape, multi-segment input): the rewrite is valid JSON, keeps exactly the tools the filter passes, in order, each
/// as its original bytes, and leaves every byte outside the tools array as it was.
/// </summary>
public class ToolListRewriterFuzzTests
{
    private static readonly string[] s_names = ["read_file", "delete_file", "delete_all", "list", "get.item", "ツール", "dele\\u0074e_x", "x\\\"y", "read_secret", ""];
    private static readonly ToolFilter s_filter = new([ToolGlob.Parse("read_*"), ToolGlob.Parse("list"), ToolGlob.Parse("delete_*"), ToolGlob.Parse("ツ*")], [ToolGlob.Parse("delete_a*"), ToolGlob.Parse("*secret")], "--allow-tools", "--deny-tools");

    [Fact]
    public void RandomAnswers_RewriteToExactlyTheAllowedTools()
    {
        var random = new Random(15);
        for (int round = 0; round < 2000; round++)
        {
            string space = random.Next(3) switch { 0 => "", 1 => " ", _ => "\t " };
            var items = Enumerable.Range(0, random.Next(0, 7)).Select(_ => s_names[random.Next(s_names.Length)]).ToList();
            string tools = "[" + space + string.Join("," + space, items.Select(n => $"{{\"name\"{space}:{space}\"{n}\",\"inputSchema\":{{\"type\":\"object\",\"properties\":{{\"name\":{{\"type\":\"string\"}}}}}}}}")) + space + "]";
            string before = random.Next(2) == 0 ? "\"jsonrpc\":\"2.0\",\"id\":" + round + "," : "";
            string after = random.Next(2) == 0 ? ",\"resultType\":\"complete\",\"ttlMs\":" + random.Next(100) + ",\"cacheScope\":\"private\",\"_meta\":{\"io.modelcontextprotocol/serverInfo\":{\"name\":\"s\"}}" : ",\"nextCursor\":\"c\"";
            string frame = "{" + before + "\"result\":{" + space + "\"tools\":" + space + tools + after + "}" + (before.Length == 0 ? ",\"jsonrpc\":\"2.0\",\"id\":1" : "") + "}";

            byte[] bytes = Encoding.UTF8.GetBytes(frame);
            ReadOnlySequence<byte> input = random.Next(2) == 0 ? new ReadOnlySequence<byte>(bytes) : TestSegment.Split(bytes, [.. Enumerable.Range(0, 3).Select(_ => random.Next(1, bytes.Length - 1)).Order().Distinct()]);
            byte[]? rewritten = ToolListRewriter.Rewrite(input, s_filter, out int removed);

            List<string> decoded = [.. items.Select(n => JsonSerializer.Deserialize<string>("\"" + n + "\"")!)];
            List<string> expected = [.. decoded.Where(n => s_filter.Check(n).Allowed)];
            Assert.Equal(decoded.Count - expected.Count, removed);
            if (removed == 0)
            {
                Assert.Null(rewritten);
                continue;
            }

            string output = Encoding.UTF8.GetString(rewritten!);
            using JsonDocument doc = JsonDocument.Parse(output);
            JsonElement result = doc.RootElement.GetProperty("result");
            Assert.Equal(expected, result.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!));

            // Outside the tools array nothing moved: the same prefix up to "[" and the same suffix after "]".
            int open = frame.IndexOf("\"tools\":", StringComparison.Ordinal) + 8 + space.Length;
            Assert.Equal(frame[..open], output[..open]);
            Assert.EndsWith(frame[(frame.LastIndexOf(']') + 1)..], output);
        }
    }
}
