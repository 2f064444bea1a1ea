using System.Buffers;
using System.Text;
using McpSsh.JsonRpc;

namespace McpSsh.Tests.JsonRpc;

/// <summary>Issue 11, defects 2 and 3: valid JSON that is not a valid JSON-RPC message never throws and is never forwarded.</summary>
public class FrameInspectorHardeningTests
{
    private static FrameInspection Inspect(string json) => FrameInspector.Inspect(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), captureMethod: true);

    [Fact]
    public void Inspect_LoneSurrogateId_IsInvalidRequest_AndEchoesTheIdAsSent()
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"method\":\"tools/call\"}");
        Assert.False(result.IsValid);
        Assert.Equal(JsonRpcErrorCode.InvalidRequest, result.ErrorCode);
        Assert.Equal("\"\\ud800\"", result.Info.Id);
    }

    [Fact]
    public void Inspect_LoneSurrogateMethod_IsInvalidRequest_WithItsId()
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/\\udc00call\"}");
        Assert.False(result.IsValid);
        Assert.Equal(JsonRpcErrorCode.InvalidRequest, result.ErrorCode);
        Assert.Equal("7", result.Info.Id);
    }

    [Fact]
    public void Inspect_LoneSurrogateInCancelledRequestId_DoesNotThrow()
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"x\\ud800\"}}");
        Assert.True(result.IsValid);
        Assert.Equal("\"x\\ud800\"", result.Info.CancelledRequestId);
    }

    [Fact]
    public void Inspect_LoneSurrogateInAResponseId_IsInvalid_NotAnException()
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"id\":\"\\udfff\",\"result\":{}}");
        Assert.False(result.IsValid);
        Assert.Equal("\"\\udfff\"", result.Info.Id);
    }

    [Fact]
    public void TryRecoverId_LoneSurrogate_ReturnsItsEscapedText()
    {
        Assert.Equal("\"\\ud800\"", FrameInspector.TryRecoverId(new ReadOnlySequence<byte>("{\"id\":\"\\uD800\",\"params\":{\"x\":\""u8.ToArray())));
    }

    [Theory]
    [InlineData("{\"x\":1}")]
    [InlineData("null")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("[1]")]
    public void Inspect_RequestWithIdOfAnotherType_IsInvalidRequest_WithNullId(string id)
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}");
        Assert.False(result.IsValid);
        Assert.Equal(JsonRpcErrorCode.InvalidRequest, result.ErrorCode);
        Assert.Null(result.Info.Id);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("{\"id\":5,\"result\":1}")]
    [InlineData("[\"tools/call\"]")]
    [InlineData("null")]
    public void Inspect_NonStringMethod_IsInvalidRequest(string method)
    {
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"method\":" + method + ",\"id\":3}");
        Assert.False(result.IsValid);
        Assert.Equal(JsonRpcErrorCode.InvalidRequest, result.ErrorCode);
        Assert.Null(result.Info.Id);
    }

    [Fact]
    public void Inspect_ErrorResponseWithNullId_IsStillRelayed()
    {
        // JSON-RPC's answer to a request whose id could not be read: valid, nobody waits for it.
        FrameInspection result = Inspect("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"parse error\"}}");
        Assert.True(result.IsValid);
        Assert.Equal(FrameKind.Other, result.Info.Kind);
        Assert.Null(result.Info.Id);
    }

    [Theory]
    [InlineData("\"a\"", "\"\\u0061\"")]
    [InlineData("\"é\"", "\"\\u00e9\"")]
    [InlineData("\"😀\"", "\"\\ud83d\\ude00\"")]
    [InlineData("\"a/b\"", "\"a\\/b\"")]
    [InlineData("\"<&'>\"", "\"\\u003c\\u0026\\u0027\\u003e\"")]
    public void Inspect_StringIdsThatAreTheSameString_HaveOneKey(string plain, string escaped)
    {
        string? a = Inspect("{\"id\":" + plain + ",\"result\":{}}").Info.Id;
        string? b = Inspect("{\"id\":" + escaped + ",\"result\":{}}").Info.Id;
        Assert.NotNull(a);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Inspect_NumberAndStringIds_AreDifferentKeys()
    {
        Assert.NotEqual(Inspect("{\"id\":1,\"result\":{}}").Info.Id, Inspect("{\"id\":\"1\",\"result\":{}}").Info.Id);
    }

    [Fact]
    public void ErrorWriter_LoneSurrogateId_WritesOneValidObject()
    {
        byte[] line = JsonRpcErrorWriter.Write("\"\\ud800\"", JsonRpcErrorCode.InvalidRequest, "x");
        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":\"\\ud800\",\"error\":{\"code\":-32600,\"message\":\"x\"}}", Encoding.UTF8.GetString(line));
    }
}
