using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.Gateway;
using McpSsh.JsonRpc;

namespace McpSsh.Tests.Gateway;

public class DiscoverMergerTests
{
    private static JsonObject Shaped(string capabilities, string name, string? instructions = null)
    {
        var shaped = new JsonObject { ["capabilities"] = JsonNode.Parse(capabilities), ["serverInfo"] = new JsonObject { ["name"] = name, ["version"] = "1" } };
        if (instructions is not null)
        {
            shaped["instructions"] = instructions;
        }

        return shaped;
    }

    [Fact]
    public void Merge_UnitesCapabilities_NamesTheGateway_InstructionsUnderEachName_MostConservativeHints()
    {
        DiscoverResult merged = DiscoverMerger.Merge(
        [
            new("a", Shaped("""{"tools":{"listChanged":true}}""", "A", "Use A."), new CacheHints("complete", 30000, "public")),
            new("b", Shaped("""{"resources":{"subscribe":true}}""", "B"), new CacheHints("complete", 5000, "public")),
            new("c", Shaped("""{"tools":{},"prompts":{}}""", "C", "C knows."), new CacheHints("complete", 60000, "public")),
        ], "9.9.9");

        Assert.Equal(["2026-07-28"], merged.SupportedVersions);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"tools":{"listChanged":true},"resources":{"subscribe":true},"prompts":{}}"""), merged.Capabilities));
        Assert.Equal("## a\n\nUse A.\n\n## c\n\nC knows.", merged.Instructions);
        Assert.Equal(5000, merged.TtlMs);
        Assert.Equal("public", merged.CacheScope);
        Assert.Equal("complete", merged.ResultType);
        Assert.Equal("Merged: a, b, c", merged.Meta.ServerInfo!["name"]!.GetValue<string>());

        // On the wire: camelCase members, serverInfo under its reserved _meta key.
        JsonNode wire = JsonSerializer.SerializeToNode(merged, JsonRpcJsonContext.Default.DiscoverResult)!;
        Assert.Equal("Merged: a, b, c", wire["_meta"]!["io.modelcontextprotocol/serverInfo"]!["name"]!.GetValue<string>());
        Assert.Equal(5000, wire["ttlMs"]!.GetValue<long>());
        Assert.Equal("2026-07-28", wire["supportedVersions"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Conservative_AnyPrivatePart_MakesItPrivate_NoPartsMeansDoNotCache()
    {
        CacheHints hints = DiscoverMerger.Conservative([new CacheHints("complete", 100, "public"), new CacheHints("complete", 900, "private")]);
        Assert.Equal((100L, "private"), (hints.TtlMs, hints.CacheScope));
        CacheHints none = DiscoverMerger.Conservative([]);
        Assert.Equal((0L, "private"), (none.TtlMs, none.CacheScope));
    }

    [Fact]
    public void FromDiscover_TakesCapabilitiesServerInfoAndInstructions()
    {
        JsonObject discover = JsonNode.Parse("""{"supportedVersions":["2026-07-28"],"capabilities":{"tools":{}},"instructions":"hi","_meta":{"io.modelcontextprotocol/serverInfo":{"name":"m","version":"2"}}}""")!.AsObject();
        InitializeMerger.Outcome outcome = InitializeMerger.Merge([("m", InitializeMerger.FromDiscover(discover))], "1.0.0", "2025-06-18");
        Assert.Equal("2025-06-18", outcome.Typed.ProtocolVersion);
        Assert.Equal("m", outcome.Result["serverInfo"]!["name"]!.GetValue<string>());
        Assert.Equal("hi", outcome.Typed.Instructions);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"tools":{}}"""), outcome.Typed.Capabilities));
    }
}
