using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;
using McpSsh.Tests.Framing;

namespace McpSsh.Tests.JsonRpc;

public class FrameRewriterTests
{
    private static string Replace(string frame, string id, params int[] cuts)
    {
        ReadOnlySequence<byte>? result = FrameRewriter.ReplaceId(TestSegment.Split(Encoding.UTF8.GetBytes(frame), cuts), id);
        return result is { } bytes ? Encoding.UTF8.GetString(bytes.ToArray()) : "<none>";
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":17,"result":{}}""", "\"abc\"", """{"jsonrpc":"2.0","id":"abc","result":{}}""")]
    [InlineData("""{"result":{"id":1,"content":[{"id":2}]},"id":  42 ,"jsonrpc":"2.0"}""", "7", """{"result":{"id":1,"content":[{"id":2}]},"id":  7 ,"jsonrpc":"2.0"}""")]
    [InlineData("""{"id":"caf\u00e9","error":{"code":-1,"message":"x"}}""", "null", """{"id":null,"error":{"code":-1,"message":"x"}}""")]
    public void ReplacesOnlyTheTopLevelId_KeepingEveryOtherByte(string frame, string id, string expected)
    {
        Assert.Equal(expected, Replace(frame, id));
    }

    [Fact]
    public void KeepsEscapesAndNonAsciiAsTheyCame_AcrossSegments()
    {
        string frame = """{"jsonrpc":"2.0","result":{"text":"\u00e9 é ` \" \n 😀"},"id":123456}""";
        string result = Replace(frame, "\"r-1\"", 5, 30, frame.Length - 4);
        Assert.Equal(frame.Replace("123456", "\"r-1\"", StringComparison.Ordinal), result);
        Assert.Equal("r-1", JsonNode.Parse(result)!["id"]!.GetValue<string>());
    }

    [Fact]
    public void NoTopLevelId_Null()
    {
        Assert.Equal("<none>", Replace("""{"jsonrpc":"2.0","method":"x","params":{"id":3}}""", "1"));
    }
}
