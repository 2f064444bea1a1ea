using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public class CompositeCursorTests
{
    [Fact]
    public void RoundTrips_EveryBackendsOwnCursor()
    {
        var cursors = new Dictionary<string, string> { ["everything"] = "eyJwYWdlIjoxfQ==", ["test"] = "p/2+?&\"ü" };
        string encoded = CompositeCursor.Encode(cursors);

        Assert.DoesNotContain('=', encoded);
        Assert.DoesNotContain('/', encoded);
        Assert.DoesNotContain('+', encoded);
        Assert.True(CompositeCursor.TryDecode(encoded, out var decoded));
        Assert.Equal(cursors, decoded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("bnVsbA")] // "null"
    [InlineData("e30")] // "{}"
    [InlineData("eyJhIjoxfQ")] // {"a":1}: a cursor must be a string
    [InlineData("WzFd")] // [1]
    public void RejectsWhatTheGatewayDidNotIssue(string cursor)
    {
        Assert.False(CompositeCursor.TryDecode(cursor, out _));
    }
}
