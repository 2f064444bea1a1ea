using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public class UriTemplateMatcherTests
{
    [Theory]
    [InlineData("demo://resource/dynamic/text/{resourceId}", "demo://resource/dynamic/text/42", true)]
    [InlineData("demo://resource/dynamic/text/{resourceId}", "demo://resource/dynamic/text/", false)]
    [InlineData("demo://resource/dynamic/text/{resourceId}", "demo://resource/dynamic/text/4/2", false)]
    [InlineData("demo://resource/dynamic/text/{resourceId}", "demo://resource/dynamic/blob/42", false)]
    [InlineData("file:///{+path}", "file:///home/me/notes.txt", true)]
    [InlineData("file:///{+path}", "file:///", false)]
    [InlineData("db://{table}/rows{?limit,offset}", "db://users/rows", true)]
    [InlineData("db://{table}/rows{?limit,offset}", "db://users/rows?limit=5&offset=10", true)]
    [InlineData("db://{table}/rows{?limit,offset}", "db://users/columns", false)]
    [InlineData("x://a.b/{id}", "x://aXb/1", false)] // literal dots are literal
    [InlineData("x://{a}/{b}", "x://1/2", true)]
    [InlineData("x://static", "x://static", true)]
    [InlineData("x://static", "x://static/more", false)]
    public void MatchesAsMcpResourceTemplatesMean(string template, string uri, bool expected)
    {
        Assert.Equal(expected, UriTemplateMatcher.Matches(template, uri));
    }
}
