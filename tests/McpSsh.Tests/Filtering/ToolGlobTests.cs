using McpSsh.Filtering;

namespace McpSsh.Tests.Filtering;

public class ToolGlobTests
{
    [Theory]
    [InlineData("echo", "echo", true)]
    [InlineData("echo", "echo2", false)]
    [InlineData("echo", "Echo", false)] // case-sensitive, as MCP compares names
    [InlineData("*", "", true)]
    [InlineData("*", "anything.at-all", true)]
    [InlineData("read_*", "read_file", true)]
    [InlineData("read_*", "read_", true)]
    [InlineData("read_*", "xread_file", false)]
    [InlineData("*_delete", "file_delete", true)]
    [InlineData("*_delete", "file_delete_all", false)]
    [InlineData("get?", "get1", true)]
    [InlineData("get?", "get", false)]
    [InlineData("get?", "get12", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYcZ", false)]
    [InlineData("**x", "x", true)]
    [InlineData("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("?", "😀", true)] // one character, even outside the BMP
    [InlineData("??", "😀", false)]
    [InlineData("tool.v1", "tool.v1", true)] // dots are literal
    [InlineData("tool.v1", "toolXv1", false)]
    public void IsMatch_MatchesTheWholeName(string glob, string name, bool expected) =>
        Assert.Equal(expected, ToolGlob.Parse(glob).IsMatch(name));

    [Theory]
    [InlineData("", "an empty glob")]
    [InlineData("a\tb", "control character")]
    public void TryParse_RefusesWhatCannotBeAGlob(string text, string error)
    {
        Assert.False(ToolGlob.TryParse(text, out _, out string? message));
        Assert.Contains(error, message);
    }
}
