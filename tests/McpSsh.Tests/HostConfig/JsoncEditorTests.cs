using McpSsh.Cli.HostConfig;

namespace McpSsh.Tests.HostConfig;

public class JsoncEditorTests
{
    private static readonly ServerEntry Entry = new("/opt/bin/mcp-ssh", ["--host", "h"]);

    private static string Add(string text, HostClient client, string name = "work", bool force = false) =>
        JsoncEditor.Upsert(text, client.ContainerKey, name, (indent, layout) => Entry.Render(client, indent, layout), force, out _);

    [Fact]
    public void Upsert_NoFile_WritesANewTwoSpaceFile()
    {
        string text = Add("", HostClient.ClaudeCode);

        Assert.Equal(
            "{\n  \"mcpServers\": {\n    \"work\": {\n      \"type\": \"stdio\",\n      \"command\": \"/opt/bin/mcp-ssh\",\n      \"args\": [\n        \"--host\",\n        \"h\"\n      ],\n      \"env\": {}\n    }\n  }\n}\n",
            text);
    }

    [Fact]
    public void Upsert_ExistingName_RefusedWithoutForce_ReplacedWithForce_RestUntouched()
    {
        const string Before = "{\n  \"mcpServers\": {\n    \"work\": {\"command\": \"old\"}, // mine\n    \"other\": {\"command\": \"x\"}\n  }\n}\n";

        Assert.Throws<EntryExistsException>(() => Add(Before, HostClient.Cursor));
        string after = JsoncEditor.Upsert(Before, "mcpServers", "work", (indent, layout) => Entry.Render(HostClient.Cursor, indent, layout), force: true, out bool replaced);

        Assert.True(replaced);
        Assert.Equal(
            "{\n  \"mcpServers\": {\n    \"work\": {\n      \"command\": \"/opt/bin/mcp-ssh\",\n      \"args\": [\n        \"--host\",\n        \"h\"\n      ]\n    }, // mine\n    \"other\": {\"command\": \"x\"}\n  }\n}\n",
            after);
    }

    [Theory]
    [InlineData("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected ',' or '}' after a member")]
    [InlineData("{\n  \"a\": [1, 2\n}", 3, 1, "expected ',' or ']' after an item")]
    [InlineData("{\n  \"a\": tru\n}", 2, 8, "expected a value")]
    [InlineData("{ /* open", 1, 3, "a /* comment is not closed")]
    [InlineData("{\"a\": \"x\n\"}", 1, 7, "a string is not closed on its line")]
    [InlineData("[1]", 1, 1, "the top level is not a JSON object")]
    [InlineData("{\"mcpServers\": []}", 1, 16, "\"mcpServers\" is not an object")]
    public void Upsert_MalformedFile_SaysLineAndColumn(string text, int line, int column, string what)
    {
        var ex = Assert.Throws<JsoncException>(() => Add(text, HostClient.ClaudeDesktop));

        Assert.Equal((line, column), (ex.Line, ex.Column));
        Assert.StartsWith(what, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_AMiddleEntry_TakesItsLinesOnly()
    {
        const string Text = "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"a\"},\n    \"work\": {\n      \"command\": \"/opt/bin/mcp-ssh\"\n    }, // ours\n    \"b\": {\"command\": \"b\"}\n  }\n}\n";

        Assert.Equal("{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"a\"},\n    \"b\": {\"command\": \"b\"}\n  }\n}\n", JsoncEditor.Remove(Text, "mcpServers", "work"));
        Assert.Null(JsoncEditor.Remove(Text, "mcpServers", "absent"));
        Assert.Null(JsoncEditor.Remove(Text, "servers", "work"));
    }

    [Fact]
    public void Upsert_NoServerList_AddsOne_AndRemoveKeepsItEmpty()
    {
        const string Before = "{\n    \"theme\": \"dark\"\n}\n";

        string after = Add(Before, HostClient.Windsurf);

        Assert.Equal("{\n    \"theme\": \"dark\",\n    \"mcpServers\": {\n        \"work\": {\n            \"command\": \"/opt/bin/mcp-ssh\",\n            \"args\": [\n                \"--host\",\n                \"h\"\n            ]\n        }\n    }\n}\n", after);
        Assert.Equal("{\n    \"theme\": \"dark\",\n    \"mcpServers\": {}\n}\n", JsoncEditor.Remove(after, "mcpServers", "work"));
    }

    [Fact]
    public void Upsert_KeepsAByteOrderMark_AndRoundTrips()
    {
        const string Before = "\uFEFF{\"mcpServers\": {\n}}";

        string after = Add(Before, HostClient.ClaudeDesktop);

        Assert.StartsWith("\uFEFF{", after, StringComparison.Ordinal);
        Assert.Equal("\uFEFF{\"mcpServers\": {}}", JsoncEditor.Remove(after, "mcpServers", "work"));
    }

    [Fact]
    public void Upsert_EmptyListHoldingAComment_KeepsTheComment_AndRemoveRestoresIt()
    {
        const string Before = "{\n  \"servers\": { // none yet\n  }\n}";

        string after = Add(Before, HostClient.VsCode);

        Assert.Contains("// none yet", after, StringComparison.Ordinal);
        Assert.Equal(Before, JsoncEditor.Remove(after, "servers", "work"));
    }

    [Fact]
    public void Quote_EscapesQuotesAndControls_KeepsUnicode()
    {
        Assert.Equal("\"a\\\"b\\\\c\\n ü\"", JsoncEditor.Quote("a\"b\\c\n ü"));
    }

    [Fact]
    public void UnifiedDiff_ShowsTheSplicedLinesWithContext()
    {
        string diff = UnifiedDiff.Render("/f.json", "{\n  \"a\": 1\n}\n", "{\n  \"a\": 1,\n  \"b\": 2\n}\n");

        Assert.Equal("--- /f.json\n+++ /f.json\n@@ -1,3 +1,4 @@\n {\n-  \"a\": 1\n+  \"a\": 1,\n+  \"b\": 2\n }\n", diff);
    }

    [Fact]
    public void UnifiedDiff_NewFile_ComesFromDevNull()
    {
        Assert.StartsWith("--- /dev/null\n+++ /n.json\n@@ -0,0 +1,1 @@\n+{}\n", UnifiedDiff.Render("/n.json", "", "{}\n"), StringComparison.Ordinal);
    }
}
