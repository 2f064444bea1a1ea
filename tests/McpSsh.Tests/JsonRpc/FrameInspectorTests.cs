using System.Buffers;
using System.Text;
using McpSsh.JsonRpc;
using McpSsh.Tests.Framing;

namespace McpSsh.Tests.JsonRpc;

public class FrameInspectorTests
{
    private static FrameInspection Inspect(string json) => FrameInspector.Inspect(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), captureMethod: true);

    [Fact]
    public void Inspect_Request_ReadsKindIdAndMethod()
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"id\":99}}");
        Assert.True(result.IsValid);
        Assert.Equal(new FrameInfo(FrameKind.Request, "42", "tools/call", null), result.Info);
    }

    [Fact]
    public void Inspect_MembersInAnyOrder_StillFindsTopLevelId()
    {
        FrameInspection result = Inspect("{\"params\":{\"id\":1,\"deep\":[{\"id\":2}]},\"method\":\"m\",\"id\":\"abc\",\"jsonrpc\":\"2.0\"}");
        Assert.Equal(FrameKind.Request, result.Info.Kind);
        Assert.Equal("\"abc\"", result.Info.Id);
    }

    [Fact]
    public void Inspect_StringIdWithEscapes_IsCanonical()
    {
        // "\u0061" and "a" are the same id; both must map to the same in-flight key.
        Assert.Equal(Inspect("{\"id\":\"a\",\"result\":{}}").Info.Id, Inspect("{\"id\":\"\\u0061\",\"result\":{}}").Info.Id);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", FrameKind.Notification)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", FrameKind.Response)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-1,\"message\":\"x\"}}", FrameKind.Response)]
    [InlineData("{\"jsonrpc\":\"2.0\"}", FrameKind.Other)]
    public void Inspect_Kinds(string json, FrameKind kind)
    {
        Assert.Equal(kind, Inspect(json).Info.Kind);
    }

    [Fact]
    public void Inspect_NonStringMethodObject_DoesNotLeakItsMembersToTopLevel()
    {
        // Not a valid message either (issue 11): rejected with a null id, never the nested 5.
        FrameInspection result = Inspect("{\"method\":{\"id\":5,\"result\":1},\"jsonrpc\":\"2.0\"}");
        Assert.False(result.IsValid);
        Assert.Equal(new FrameInfo(FrameKind.Other, null, null, null), result.Info);
    }

    [Fact]
    public void Inspect_CancelledNotification_ReadsRequestId()
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"reason\":\"x\",\"requestId\":17}}");
        Assert.Equal("17", result.Info.CancelledRequestId);
    }

    [Fact]
    public void Inspect_OtherNotificationWithRequestId_IsNotACancellation()
    {
        Assert.Null(Inspect("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"requestId\":17}}").Info.CancelledRequestId);
    }

    [Theory]
    [InlineData("not json", JsonRpcErrorCode.ParseError)]
    [InlineData("{\"id\":1,", JsonRpcErrorCode.ParseError)]
    [InlineData("{\"id\":1}{\"id\":2}", JsonRpcErrorCode.ParseError)]
    [InlineData("{\"id\":1} x", JsonRpcErrorCode.ParseError)]
    [InlineData("[{\"id\":1}]", JsonRpcErrorCode.InvalidRequest)]
    [InlineData("\"just a string\"", JsonRpcErrorCode.InvalidRequest)]
    [InlineData("42", JsonRpcErrorCode.InvalidRequest)]
    public void Inspect_NotOneObject_IsRejected(string json, JsonRpcErrorCode code)
    {
        FrameInspection result = Inspect(json);
        Assert.False(result.IsValid);
        Assert.Equal(code, result.ErrorCode);
    }

    [Fact]
    public void Inspect_BrokenAfterId_RecoversTheId()
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"id\":\"r-1\",\"method\":\"x\",\"params\":{,}}");
        Assert.False(result.IsValid);
        Assert.Equal("\"r-1\"", result.Info.Id);
    }

    [Fact]
    public void Inspect_InvalidUtf8InString_IsAParseError()
    {
        byte[] bytes = [.. "{\"id\":1,\"method\":\"m\",\"params\":{\"s\":\""u8, 0xC3, 0x28, .. "\"}}"u8];
        FrameInspection result = FrameInspector.Inspect(new ReadOnlySequence<byte>(bytes));
        Assert.False(result.IsValid);
        Assert.Equal(JsonRpcErrorCode.ParseError, result.ErrorCode);
    }

    [Fact]
    public void Inspect_MultiSegmentFrame_IsValid()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":123456,\"method\":\"ping\",\"params\":{\"s\":\"€€€\"}}");
        FrameInspection result = FrameInspector.Inspect(TestSegment.Split(bytes, 5, 20, 23, 24, 50, 51));
        Assert.True(result.IsValid);
        Assert.Equal("123456", result.Info.Id);
    }

    [Fact]
    public void Inspect_DeeplyNestedSchema_IsValid()
    {
        string nested = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        Assert.True(Inspect("{\"id\":1,\"result\":" + nested + "}").IsValid);
    }

    [Fact]
    public void TryRecoverId_TruncatedHead_FindsLeadingId()
    {
        string head = "{\"jsonrpc\":\"2.0\",\"id\":77,\"method\":\"tools/call\",\"params\":{\"data\":\"xxxxxxxx";
        Assert.Equal("77", FrameInspector.TryRecoverId(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(head))));
    }

    [Fact]
    public void TryRecoverId_IdAfterTruncation_IsNull()
    {
        string head = "{\"jsonrpc\":\"2.0\",\"params\":{\"data\":\"xxxxxxxx";
        Assert.Null(FrameInspector.TryRecoverId(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(head))));
    }

    [Fact]
    public void ErrorWriter_EchoesIdAndCode()
    {
        string json = Encoding.UTF8.GetString(JsonRpcErrorWriter.Write("\"a\\\"b\"", JsonRpcErrorCode.ConnectionClosed, "gone \"now\""));
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":\"a\\\"b\",\"error\":{\"code\":-32000,\"message\":\"gone \\u0022now\\u0022\"}}", json);
    }

    [Fact]
    public void ErrorWriter_NullId_WritesNull()
    {
        Assert.Contains("\"id\":null", Encoding.UTF8.GetString(JsonRpcErrorWriter.Write(null, JsonRpcErrorCode.ParseError, "x")));
    }
}

public class Utf8ValidatorTests
{
    [Fact]
    public void IsValid_CharactersSplitAtEveryPossibleBoundary_AreValid()
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes("aé€𝄞z");
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            Assert.True(Utf8Validator.IsValid(TestSegment.Split(bytes, cut)), $"cut at {cut}");
        }

        Assert.True(Utf8Validator.IsValid(TestSegment.Split(bytes, Enumerable.Range(1, bytes.Length - 1).ToArray())));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xC3 })]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xFF, 0x61 })]
    public void IsValid_BrokenSequences_AreInvalidWhateverTheSegmentation(byte[] bytes)
    {
        Assert.False(Utf8Validator.IsValid(new ReadOnlySequence<byte>(bytes)));
        for (int cut = 1; cut < bytes.Length; cut++)
        {
            Assert.False(Utf8Validator.IsValid(TestSegment.Split(bytes, cut)), $"cut at {cut}");
        }
    }
}
