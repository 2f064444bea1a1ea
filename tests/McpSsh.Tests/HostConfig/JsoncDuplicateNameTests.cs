using McpSsh.Cli.HostConfig;

namespace McpSsh.Tests.HostConfig;

/// <summary>
/// A server list with the same name twice (hand-edited, or two merges): hosts parse it as JavaScript does, the last
/// one winning. Removing the name must leave no entry of that name, or the one before takes effect after "Removed".
/// </summary>
public class JsoncDuplicateNameTests
{
    [Fact]
    public void Remove_NameTwice_RemovesBoth()
    {
        const string Before = "{\n  \"mcpServers\": {\n    \"work\": {\"command\": \"a\"},\n    \"keep\": {\"command\": \"k\"},\n    \"work\": {\"command\": \"b\"}\n  }\n}\n";

        string? after = JsoncEditor.Remove(Before, "mcpServers", "work");

        Assert.Equal("{\n  \"mcpServers\": {\n    \"keep\": {\"command\": \"k\"}\n  }\n}\n", after);
    }

    [Fact]
    public void Remove_NameTwiceInACompactList_LeavesAnEmptyList()
    {
        string? after = JsoncEditor.Remove("{\"mcpServers\":{\"w\":{\"command\":\"a\"},\"w\":{\"command\":\"b\"}}}", "mcpServers", "w");

        Assert.Equal("{\"mcpServers\":{}}", after);
    }
}
