using System.Buffers;
using System.Text;
using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public class ResultRewriterTests
{
    private static string Rewrite(string frame, Func<ReadOnlySequence<byte>, ReadOnlySequence<byte>> rewrite) =>
        Encoding.UTF8.GetString(rewrite(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(frame))).ToArray());

    [Fact]
    public void ToModern_LegacyCallResult_GainsResultTypeOnly_RestKeptByteForByte()
    {
        string frame = """{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"caf\u00e9 \ud83d\ude00"}],"isError":false}}""";
        Assert.Equal(
            """{"jsonrpc":"2.0","id":7,"result":{"content":[{"type":"text","text":"caf\u00e9 \ud83d\ude00"}],"isError":false,"resultType":"complete"}}""",
            Rewrite(frame, f => ResultRewriter.ToModern(f, cacheHints: false)));
    }

    [Fact]
    public void ToModern_ReadResult_GainsCacheHintsThatForbidCaching_ExistingMembersWin()
    {
        Assert.Equal(
            """{"id":1,"result":{"contents":[],"resultType":"complete","ttlMs":0,"cacheScope":"private"}}""",
            Rewrite("""{"id":1,"result":{"contents":[]}}""", f => ResultRewriter.ToModern(f, cacheHints: true)));
        Assert.Equal(
            """{"id":1,"result":{"resultType":"input_required","ttlMs":5,"cacheScope":"public"}}""",
            Rewrite("""{"id":1,"result":{"resultType":"input_required","ttlMs":5,"cacheScope":"public"}}""", f => ResultRewriter.ToModern(f, cacheHints: true)));
    }

    [Fact]
    public void ToModern_EmptyResultAndErrors()
    {
        Assert.Equal("""{"id":1,"result":{"resultType":"complete"}}""", Rewrite("""{"id":1,"result":{}}""", f => ResultRewriter.ToModern(f, false)));
        string error = """{"id":1,"error":{"code":-32602,"message":"no"}}""";
        Assert.Equal(error, Rewrite(error, f => ResultRewriter.ToModern(f, true)));
    }

    [Fact]
    public void ToLegacy_StripsModernMembersAndServerInfo_KeepsOtherMetaKeys()
    {
        string frame = """{"result":{"tools":[{"name":"a"}],"resultType":"complete","ttlMs":0,"cacheScope":"private","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"s","version":"1"},"x/y":1}},"jsonrpc":"2.0","id":2}""";
        Assert.Equal("""{"result":{"tools":[{"name":"a"}],"_meta":{"x/y":1}},"jsonrpc":"2.0","id":2}""", Rewrite(frame, ResultRewriter.ToLegacy));
    }

    [Fact]
    public void ToLegacy_OnlyServerInfoInMeta_MetaGoesEntirely()
    {
        string frame = """{"result":{"content":[],"resultType":"complete","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"s","version":"1"}}},"id":3}""";
        Assert.Equal("""{"result":{"content":[]},"id":3}""", Rewrite(frame, ResultRewriter.ToLegacy));
    }

    [Fact]
    public void ToLegacy_LegacyResultUnchanged_AndInputRequiredRecognised()
    {
        string frame = """{"id":3,"result":{"content":[]}}""";
        Assert.Equal(frame, Rewrite(frame, ResultRewriter.ToLegacy));
        Assert.True(InputRequired.IsInputRequired(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("""{"id":3,"result":{"inputRequests":{},"resultType":"input_required"}}"""))));
        Assert.False(InputRequired.IsInputRequired(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("""{"id":3,"result":{"resultType":"complete"}}"""))));
    }
}
