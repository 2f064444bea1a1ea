using System.Buffers;
using System.Text;
using McpSsh.Filtering;
using McpSsh.Tests.Framing;

namespace McpSsh.Tests.Filtering;

public class ToolListRewriterTests
{
    private static readonly ToolFilter DenyDelete = new([], [ToolGlob.Parse("delete_*")], "--allow-tools", "--deny-tools");

    private static string? Rewrite(string frame, ToolFilter? filter = null) =>
        ToolListRewriter.Rewrite(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(frame)), filter ?? DenyDelete, out _) is { } bytes
            ? Encoding.UTF8.GetString(bytes)
            : null;

    [Fact]
    public void LegacyAnswer_LosesOnlyTheFilteredTool()
    {
        string frame = """{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"read_file","inputSchema":{"type":"object"}}, {"name":"delete_file"} ,{"name":"list"}],"nextCursor":"c2"}}""";
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"read_file","inputSchema":{"type":"object"}},{"name":"list"}],"nextCursor":"c2"}}""", Rewrite(frame));
    }

    [Fact]
    public void ModernAnswer_KeepsResultTypeTtlCacheScopeAndMetaAsBytes()
    {
        // 2026-07-28: the server puts result first and adds resultType, ttlMs, cacheScope and _meta.serverInfo.
        string frame = """{"result":{"tools":[{"name":"delete_all"},{"name":"echo","description":"Echo \u00e9 text"}],"resultType":"complete","ttlMs":30000,"cacheScope":"public","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"v2","version":"1"}}},"jsonrpc":"2.0","id":"a"}""";
        Assert.Equal("""{"result":{"tools":[{"name":"echo","description":"Echo \u00e9 text"}],"resultType":"complete","ttlMs":30000,"cacheScope":"public","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"v2","version":"1"}}},"jsonrpc":"2.0","id":"a"}""", Rewrite(frame));
    }

    [Fact]
    public void NothingFiltered_ReturnsNull_SoTheFrameGoesOutUntouched()
    {
        Assert.Null(Rewrite("""{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"echo"}]}}"""));
        Assert.Null(Rewrite("""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"delete_x"}}"""));
        Assert.Null(Rewrite("""{"jsonrpc":"2.0","id":1,"result":{"resultType":"input_required"}}"""));
    }

    [Fact]
    public void EveryToolFiltered_LeavesAnEmptyArray()
    {
        Assert.Equal("""{"id":1,"result":{"tools":[]}}""", Rewrite("""{"id":1,"result":{"tools":[ {"name":"delete_a"} , {"name":"delete_b"} ]}}"""));
    }

    [Fact]
    public void EscapedNames_AreDecodedBeforeMatching()
    {
        // "delete_x" written with escapes, in both the member name and the value.
        Assert.Equal("""{"id":1,"result":{"tools":[{"name":"ok"}]}}""",
            Rewrite("""{"id":1,"result":{"tools":[{"n\u0061me":"d\u0065lete_x"},{"name":"ok"}]}}"""));
    }

    [Fact]
    public void Duplicates_AreFilteredInEveryCopy()
    {
        // A parser that keeps the last "name", "tools" or "result" must not see a filtered tool either.
        Assert.Equal("""{"id":1,"result":{"tools":[],"tools":[{"name":"b"}]},"result":{"tools":[]}}""",
            Rewrite("""{"id":1,"result":{"tools":[{"name":"ok","name":"delete_me"}],"tools":[{"name":"b"},{"name":"delete_2"}]},"result":{"tools":[{"name":"delete_3"}]}}"""));
    }

    [Fact]
    public void AllowList_DropsNamelessAndUnreadableNames_KeepsNonObjects()
    {
        var allow = new ToolFilter([ToolGlob.Parse("read_*")], [], "--allow-tools", "--deny-tools");
        Assert.Equal("""{"id":1,"result":{"tools":[{"name":"read_a"},7]}}""",
            Rewrite("""{"id":1,"result":{"tools":[{"name":"read_a"},{"description":"no name"},{"name":"\ud800"},{"name":5},7]}}""", allow));
    }

    [Fact]
    public void MultiSegmentFrame_IsSplicedAtTheRightBytes()
    {
        string text = """{"jsonrpc":"2.0","id":9,"result":{"tools":[{"name":"a"},{"name":"delete_b"},{"name":"c"}],"ttlMs":0}}""";
        ReadOnlySequence<byte> split = TestSegment.OneBytePerSegment(text);
        byte[] rewritten = ToolListRewriter.Rewrite(split, DenyDelete, out int removed)!;
        Assert.Equal(1, removed);
        Assert.Equal("""{"jsonrpc":"2.0","id":9,"result":{"tools":[{"name":"a"},{"name":"c"}],"ttlMs":0}}""", Encoding.UTF8.GetString(rewritten));
    }

    [Fact]
    public void ToolCallName_ReadsEveryParamsName_Decoded()
    {
        Assert.Equal(["delete_x"], ToolCallName.Read(new ReadOnlySequence<byte>("""{"id":1,"method":"tools/call","params":{"arguments":{"name":"inner"},"n\u0061me":"delete\u005fx"}}"""u8.ToArray())));
        Assert.Equal(["ok", "delete_y"], ToolCallName.Read(new ReadOnlySequence<byte>("""{"id":1,"method":"tools/call","params":{"name":"ok","name":"delete_y"}}"""u8.ToArray())));
        Assert.Empty(ToolCallName.Read(new ReadOnlySequence<byte>("""{"id":1,"method":"tools/call","params":{}}"""u8.ToArray())));
    }
}
