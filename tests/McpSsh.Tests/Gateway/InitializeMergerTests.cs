using System.Text.Json.Nodes;
using McpSsh.Gateway;

namespace McpSsh.Tests.Gateway;

public class InitializeMergerTests
{
    private static JsonObject Result(string version, string capabilities, string name, string? instructions = null)
    {
        var result = new JsonObject
        {
            ["protocolVersion"] = version,
            ["capabilities"] = JsonNode.Parse(capabilities),
            ["serverInfo"] = new JsonObject { ["name"] = name, ["version"] = "1.0" },
        };
        if (instructions is not null)
        {
            result["instructions"] = instructions;
        }

        return result;
    }

    [Fact]
    public void Several_UnionCapabilities_MergedName_InstructionsUnderHeadings()
    {
        var outcome = InitializeMerger.Merge(
        [
            ("a", Result("2025-06-18", """{"tools":{"listChanged":true},"logging":{}}""", "A", "Use A for files.")),
            ("b", Result("2025-06-18", """{"tools":{},"resources":{"subscribe":true},"experimental":{"x":{"y":1}}}""", "B")),
            ("c", Result("2025-06-18", """{"resources":{"listChanged":true},"prompts":{}}""", "C", "C knows dates.")),
        ], "9.9.9");

        Assert.Null(outcome.VersionWarning);
        JsonObject result = outcome.Result;
        Assert.Equal("2025-06-18", result["protocolVersion"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"tools":{"listChanged":true},"logging":{},"resources":{"subscribe":true,"listChanged":true},"experimental":{"x":{"y":1}},"prompts":{}}"""),
            result["capabilities"]));
        Assert.Equal("Merged: a, b, c", result["serverInfo"]!["name"]!.GetValue<string>());
        Assert.Equal("9.9.9", result["serverInfo"]!["version"]!.GetValue<string>());
        Assert.Equal("## a\n\nUse A for files.\n\n## c\n\nC knows dates.", result["instructions"]!.GetValue<string>());
    }

    [Fact]
    public void DifferentVersions_TheOldestWithAWarningNamingEach()
    {
        var outcome = InitializeMerger.Merge(
        [
            ("new", Result("2025-11-25", "{}", "N")),
            ("old", Result("2024-11-05", "{}", "O")),
        ], "1.0.0");

        Assert.Equal("2024-11-05", outcome.Result["protocolVersion"]!.GetValue<string>());
        Assert.Equal("new: 2025-11-25, old: 2024-11-05", outcome.VersionWarning);
    }

    [Fact]
    public void One_KeepsItsOwnServerInfoAndInstructions()
    {
        var outcome = InitializeMerger.Merge([("only", Result("2025-06-18", """{"tools":{}}""", "The Server", "Plain."))], "1.0.0");
        Assert.Equal("The Server", outcome.Result["serverInfo"]!["name"]!.GetValue<string>());
        Assert.Equal("Plain.", outcome.Result["instructions"]!.GetValue<string>());
    }
}
