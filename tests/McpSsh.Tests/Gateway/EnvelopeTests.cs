using System.Text.Json.Nodes;
using McpSsh.Gateway;
using McpSsh.JsonRpc;

namespace McpSsh.Tests.Gateway;

public class EnvelopeTests
{
    private static JsonObject Params(string meta) => new() { ["_meta"] = JsonNode.Parse(meta) };

    [Fact]
    public void Validate_ValidEnvelope_IsNull()
    {
        Assert.Null(Envelope.Validate(Params("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}""")));
        Assert.Null(Envelope.Validate(Params("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"a","version":"1"},"io.modelcontextprotocol/logLevel":"info"}""")));
    }

    [Fact]
    public void Validate_Missing_IsInvalidParamsNamingBothKeys()
    {
        JsonRpcErrorDetail error = Envelope.Validate(new JsonObject())!;
        Assert.Equal(-32602, error.Code);
        Assert.Contains("io.modelcontextprotocol/protocolVersion, io.modelcontextprotocol/clientCapabilities", error.Message);
    }

    [Theory]
    [InlineData("""{"io.modelcontextprotocol/protocolVersion":2026,"io.modelcontextprotocol/clientCapabilities":{}}""", "io.modelcontextprotocol/protocolVersion")]
    [InlineData("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}""", "io.modelcontextprotocol/clientCapabilities")]
    [InlineData("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":"x"}""", "io.modelcontextprotocol/clientCapabilities")]
    [InlineData("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":1}}""", "io.modelcontextprotocol/clientInfo")]
    [InlineData("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/logLevel":"loud"}""", "io.modelcontextprotocol/logLevel")]
    public void Validate_BadMember_IsInvalidParamsWithDataEnvelopeKey(string meta, string key)
    {
        JsonRpcErrorDetail error = Envelope.Validate(Params(meta))!;
        Assert.Equal(-32602, error.Code);
        Assert.Equal(key, error.Data!["envelope"]!["key"]!.GetValue<string>());
    }

    [Fact]
    public void Validate_OtherVersion_IsUnsupportedWithSupportedAndRequested()
    {
        JsonRpcErrorDetail error = Envelope.Validate(Params("""{"io.modelcontextprotocol/protocolVersion":"2099-01-01","io.modelcontextprotocol/clientCapabilities":{}}"""))!;
        Assert.Equal(-32022, error.Code);
        Assert.Equal("2026-07-28", error.Data!["supported"]![0]!.GetValue<string>());
        Assert.Equal("2099-01-01", error.Data!["requested"]!.GetValue<string>());
    }

    [Fact]
    public void Strip_RemovesEnvelopeKeysOnly_AndAnEmptiedMeta()
    {
        JsonObject parameters = Params("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/logLevel":"info","progressToken":"p1"}""");
        Envelope.Strip(parameters);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"_meta":{"progressToken":"p1"}}"""), parameters));

        JsonObject bare = Params("""{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}""");
        bare["name"] = "x";
        Envelope.Strip(bare);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"x"}"""), bare));
    }

    [Fact]
    public void FromInitialize_CarriesTheLegacyHostsCapabilitiesClientInfoAndLevel_AndAddKeepsTheHostsOwnKeys()
    {
        var initialize = JsonNode.Parse("""{"protocolVersion":"2025-11-25","capabilities":{"sampling":{}},"clientInfo":{"name":"host","version":"2"}}""")!.AsObject();
        JsonObject envelope = Envelope.FromInitialize(initialize, "warning", new ImplementationInfo("gw", "1"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"sampling":{}},
             "io.modelcontextprotocol/clientInfo":{"name":"host","version":"2"},"io.modelcontextprotocol/logLevel":"warning"}
            """), envelope));

        JsonObject parameters = Envelope.Add(Params("""{"progressToken":3,"io.modelcontextprotocol/logLevel":"debug"}"""), envelope);
        Assert.Equal("debug", parameters["_meta"]!["io.modelcontextprotocol/logLevel"]!.GetValue<string>());
        Assert.Equal(3, parameters["_meta"]!["progressToken"]!.GetValue<int>());
        Assert.Equal("2026-07-28", parameters["_meta"]!["io.modelcontextprotocol/protocolVersion"]!.GetValue<string>());
        Assert.Null(Envelope.Validate(parameters));
    }
}
