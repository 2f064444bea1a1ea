using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// `mcp-ssh gateway` between the MCP eras, on the raw wire: a modern-only TypeScript SDK v2 server
/// (`v2-server.mjs reject`) beside server-everything (legacy only), driven by a modern host (per-request
/// envelope, no initialize) or a legacy host (initialize). Each backend is served in its own era; the gateway
/// bridges requests, results, listens and input requests between them.
/// </summary>
public sealed class GatewayEraTests : IDisposable
{
    private const string Envelope = "'_meta':{'io.modelcontextprotocol/protocolVersion':'2026-07-28','io.modelcontextprotocol/clientCapabilities':{}}";

    private readonly GatewayConfig _config = GatewayConfig.Write(("modern", V2Server("reject", "modern")), ("legacy", GatewayConfig.Everything));

    internal static (string Command, string[] Args) V2Server(string mode, string name) =>
        (TestPaths.Node, [Path.Combine(TestPaths.RepoRoot, "tests", "node", "v2-server.mjs"), mode, name]);

    private RawMcpSsh Start(GatewayConfig? config = null) => RawMcpSsh.Start(["gateway", "--servers-config", (config ?? _config).Path]);

    /// <summary>A request line; params and envelope are written with ' for " (the helper swaps them).</summary>
    private static string Request(object id, string method, string parameters = "", string envelope = Envelope)
    {
        string separator = parameters.Length > 0 && envelope.Length > 0 ? "," : "";
        return ("{'jsonrpc':'2.0','id':" + JsonSerializer.Serialize(id) + ",'method':'" + method + "','params':{" + parameters + separator + envelope + "}}").Replace('\'', '"');
    }

    private static JsonElement Result(JsonElement response) =>
        response.TryGetProperty("result", out JsonElement result) ? result : throw new Xunit.Sdk.XunitException("expected a result, got " + response);

    private static string Text(JsonElement response) => Result(response).GetProperty("content")[0].GetProperty("text").GetString()!;

    /// <summary>Reads messages until one matches, returning everything read (notifications before it included).</summary>
    private static async Task<List<JsonElement>> ReadUntilAsync(RawMcpSsh gateway, Func<JsonElement, bool> last)
    {
        var seen = new List<JsonElement>();
        while (true)
        {
            JsonElement message = await gateway.ReadMessageAsync();
            seen.Add(message);
            if (last(message))
            {
                return seen;
            }
        }
    }

    private static bool IsResponse(JsonElement message, object id) =>
        !message.TryGetProperty("method", out _) && message.TryGetProperty("id", out JsonElement got) && got.GetRawText() == JsonSerializer.Serialize(id);

    private static string? Method(JsonElement message) => message.TryGetProperty("method", out JsonElement method) ? method.GetString() : null;

    [Fact]
    public async Task ModernHost_DiscoverListsAndCalls_ReachBothEras_WithTheModernEnvelope()
    {
        await using RawMcpSsh gateway = Start();

        await gateway.WriteLineAsync(Request(1, "server/discover"));
        JsonElement discover = Result(await gateway.ReadResponseAsync());
        Assert.Equal("2026-07-28", Assert.Single(discover.GetProperty("supportedVersions").EnumerateArray()).GetString());
        Assert.Equal("Merged: modern, legacy", discover.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
        Assert.True(discover.GetProperty("capabilities").GetProperty("tools").GetProperty("listChanged").GetBoolean());
        Assert.StartsWith("## legacy\n\n", discover.GetProperty("instructions").GetString());
        Assert.Equal(("complete", 0, "private"), (discover.GetProperty("resultType").GetString(), discover.GetProperty("ttlMs").GetInt32(), discover.GetProperty("cacheScope").GetString()));

        await gateway.WriteLineAsync(Request(2, "tools/list"));
        JsonElement tools = Result(await gateway.ReadResponseAsync());
        var names = tools.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Contains("confirm", names);           // the modern-only server's
        Assert.Contains("get-sum", names);           // server-everything's
        Assert.Contains("echo_1", names);            // server-everything's echo, after the modern one
        Assert.Equal(("complete", 0, "private"), (tools.GetProperty("resultType").GetString(), tools.GetProperty("ttlMs").GetInt32(), tools.GetProperty("cacheScope").GetString()));

        await gateway.WriteLineAsync(Request(3, "tools/call", "'name':'echo','arguments':{'text':'to modern'}"));
        JsonElement modern = await gateway.ReadResponseAsync();
        Assert.Equal("to modern", Text(modern));
        Assert.Equal("complete", Result(modern).GetProperty("resultType").GetString());

        // The legacy backend got no envelope (it would not know it) and its result gained resultType.
        await gateway.WriteLineAsync(Request("s-4", "tools/call", "'name':'echo_1','arguments':{'message':'to legacy'}"));
        JsonElement legacy = await gateway.ReadResponseAsync();
        Assert.Equal("s-4", legacy.GetProperty("id").GetString());
        Assert.Equal("Echo: to legacy", Text(legacy));
        Assert.Equal("complete", Result(legacy).GetProperty("resultType").GetString());

        await gateway.WriteLineAsync(Request(5, "resources/read", "'uri':'demo://resource/static/document/architecture.md'"));
        JsonElement read = Result(await gateway.ReadResponseAsync());
        Assert.Equal(("complete", 0, "private"), (read.GetProperty("resultType").GetString(), read.GetProperty("ttlMs").GetInt32(), read.GetProperty("cacheScope").GetString()));

        await gateway.WriteLineAsync(Request(6, "prompts/get", "'name':'greet','arguments':{'name':'bob'}"));
        Assert.Equal("Hello bob", Result(await gateway.ReadResponseAsync()).GetProperty("messages")[0].GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task ModernHost_EraErrors_AsAModernServerAnswers()
    {
        await using RawMcpSsh gateway = Start();
        await gateway.WriteLineAsync(Request(1, "tools/list"));
        Result(await gateway.ReadResponseAsync());

        await gateway.WriteLineAsync(Request(2, "ping"));
        Assert.Equal(-32601, (await gateway.ReadResponseAsync()).GetProperty("error").GetProperty("code").GetInt32());
        await gateway.WriteLineAsync(Request(3, "logging/setLevel", "'level':'info'"));
        Assert.Equal(-32601, (await gateway.ReadResponseAsync()).GetProperty("error").GetProperty("code").GetInt32());

        await gateway.WriteLineAsync(Request(4, "tools/list", "", ""));
        JsonElement missing = (await gateway.ReadResponseAsync()).GetProperty("error");
        Assert.Equal(-32602, missing.GetProperty("code").GetInt32());
        Assert.Contains("missing the required _meta envelope", missing.GetProperty("message").GetString());

        await gateway.WriteLineAsync(Request(5, "tools/list", "", "'_meta':{'io.modelcontextprotocol/protocolVersion':'2099-01-01','io.modelcontextprotocol/clientCapabilities':{}}"));
        JsonElement unsupported = (await gateway.ReadResponseAsync()).GetProperty("error");
        Assert.Equal(-32022, unsupported.GetProperty("code").GetInt32());
        Assert.Equal("2026-07-28", unsupported.GetProperty("data").GetProperty("supported")[0].GetString());
        Assert.Equal("2099-01-01", unsupported.GetProperty("data").GetProperty("requested").GetString());

        await gateway.WriteLineAsync(Request(6, "tools/list", "", "'_meta':{'io.modelcontextprotocol/protocolVersion':'2026-07-28'}"));
        JsonElement invalid = (await gateway.ReadResponseAsync()).GetProperty("error");
        Assert.Equal(-32602, invalid.GetProperty("code").GetInt32());
        Assert.Equal("io.modelcontextprotocol/clientCapabilities", invalid.GetProperty("data").GetProperty("envelope").GetProperty("key").GetString());

        // A legacy initialize on a modern session names its old version.
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        Assert.Equal(-32022, (await gateway.ReadResponseAsync()).GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task LegacyHost_ModernOnlyBackend_ResultsStripped_AndInputRequiredBecomesARealElicitation()
    {
        await using RawMcpSsh gateway = Start();
        await gateway.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"elicitation":{"form":{}}},"clientInfo":{"name":"raw-legacy","version":"1"}}}""");
        JsonElement initialized = Result(await gateway.ReadResponseAsync());
        Assert.Equal("2025-11-25", initialized.GetProperty("protocolVersion").GetString());
        Assert.Equal("Merged: modern, legacy", initialized.GetProperty("serverInfo").GetProperty("name").GetString());
        await gateway.WriteLineAsync(RawMcpSsh.Initialized);

        await gateway.WriteLineAsync(Request(2, "tools/call", "'name':'echo','arguments':{'text':'plain'}", ""));
        JsonElement echo = await gateway.ReadResponseAsync();
        Assert.Equal("plain", Text(echo));
        Assert.False(Result(echo).TryGetProperty("resultType", out _));
        Assert.False(Result(echo).TryGetProperty("_meta", out _));

        // The modern backend asks with input_required; the legacy host sees a real elicitation/create request.
        await gateway.WriteLineAsync(Request(3, "tools/call", "'name':'confirm','arguments':{'what':'deploy'}", ""));
        JsonElement ask = (await ReadUntilAsync(gateway, m => Method(m) == "elicitation/create")).Last();
        Assert.Equal("Really deploy?", ask.GetProperty("params").GetProperty("message").GetString());
        await gateway.WriteLineAsync("{\"jsonrpc\":\"2.0\",\"id\":" + ask.GetProperty("id").GetRawText() + ",\"result\":{\"action\":\"accept\",\"content\":{\"ok\":true}}}");

        JsonElement done = (await ReadUntilAsync(gateway, m => IsResponse(m, 3))).Last();
        Assert.Equal("""view={"kind":"elicit","action":"accept","content":{"ok":true}} state="round1" """.TrimEnd(), Text(done));
        Assert.False(Result(done).TryGetProperty("resultType", out _));
    }

    [Fact]
    public async Task ModernHost_Listen_AcksTheHonouredSubset_StampsWithTheHostsId_AndCancelEndsIt()
    {
        await using RawMcpSsh gateway = Start();
        await gateway.WriteLineAsync(Request("L1", "subscriptions/listen",
            "'notifications':{'toolsListChanged':true,'promptsListChanged':false,'bogus':true,'resourceSubscriptions':['res://static']}"));
        JsonElement ack = await gateway.ReadMessageAsync();
        Assert.Equal("notifications/subscriptions/acknowledged", Method(ack));
        Assert.Equal("L1", ack.GetProperty("params").GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetString());
        JsonElement honoured = ack.GetProperty("params").GetProperty("notifications");
        Assert.Equal(["resourceSubscriptions", "toolsListChanged"], honoured.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("res://static", Assert.Single(honoured.GetProperty("resourceSubscriptions").EnumerateArray()).GetString());

        await gateway.WriteLineAsync(Request(2, "tools/call", "'name':'bump','arguments':{}"));
        List<JsonElement> seen = await ReadUntilAsync(gateway, m => IsResponse(m, 2));
        JsonElement changed = Assert.Single(seen, m => Method(m) == "notifications/tools/list_changed");
        Assert.Equal("L1", changed.GetProperty("params").GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetString());
        JsonElement updated = Assert.Single(seen, m => Method(m) == "notifications/resources/updated");
        Assert.Equal("res://static", updated.GetProperty("params").GetProperty("uri").GetString());
        Assert.Equal("L1", updated.GetProperty("params").GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetString());

        // Cancelled: no answer to the listen, and nothing more is delivered for it.
        await gateway.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"L1","reason":"done"}}""");
        await gateway.WriteLineAsync(Request(3, "tools/call", "'name':'bump','arguments':{}"));
        List<JsonElement> after = await ReadUntilAsync(gateway, m => IsResponse(m, 3));
        Assert.Equal("bumped 2", Text(after.Last()));
        Assert.Single(after);
    }

    [Fact]
    public async Task LegacyHost_SubscribeOnAModernBackend_BecomesAListen_WithStampsStripped()
    {
        await using RawMcpSsh gateway = Start();
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        Result(await gateway.ReadResponseAsync());
        await gateway.WriteLineAsync(RawMcpSsh.Initialized);

        await gateway.WriteLineAsync(Request(2, "resources/subscribe", "'uri':'res://static'", ""));
        Result((await ReadUntilAsync(gateway, m => IsResponse(m, 2))).Last());

        await gateway.WriteLineAsync(Request(3, "tools/call", "'name':'bump','arguments':{}", ""));
        List<JsonElement> seen = await ReadUntilAsync(gateway, m => IsResponse(m, 3));
        JsonElement updated = Assert.Single(seen, m => Method(m) == "notifications/resources/updated");
        Assert.Equal("""{"uri":"res://static"}""", updated.GetProperty("params").GetRawText());
        JsonElement changed = Assert.Single(seen, m => Method(m) == "notifications/tools/list_changed");
        Assert.False(changed.TryGetProperty("params", out _));
    }

    [Fact]
    public async Task ModernHost_LegacyBackendAsksForSampling_GetsAnErrorNamingTheGap()
    {
        await using RawMcpSsh gateway = Start();
        string withSampling = "'_meta':{'io.modelcontextprotocol/protocolVersion':'2026-07-28','io.modelcontextprotocol/clientCapabilities':{'sampling':{}}}";
        await gateway.WriteLineAsync(Request(1, "tools/call", "'name':'trigger-sampling-request','arguments':{'prompt':'hi'}", withSampling));
        JsonElement answer = (await ReadUntilAsync(gateway, m => IsResponse(m, 1))).Last();
        Assert.Contains("has no server-to-client requests", answer.GetRawText());
        Assert.Contains("sampling/createMessage", answer.GetRawText());
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Contains("Backend legacy sent sampling/createMessage to a host of protocol revision 2026-07-28", gateway.Stderr);
    }

    [Fact]
    public async Task LegacyServerThatExitsOnDiscover_IsRestartedAndInitialized_ForEitherHost()
    {
        using GatewayConfig config = GatewayConfig.Write(
            ("modern", V2Server("reject", "modern")),
            ("strict", (TestPaths.Node, [Path.Combine(TestPaths.RepoRoot, "tests", "node", "legacy-strict-server.mjs")])));
        await using RawMcpSsh gateway = Start(config);
        await gateway.WriteLineAsync(Request(1, "tools/call", "'name':'strict-echo','arguments':{'text':'alive'}"));
        JsonElement answer = await gateway.ReadResponseAsync();
        Assert.Equal("strict: alive", Text(answer));
        Assert.Equal("complete", Result(answer).GetProperty("resultType").GetString());
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.Contains("Backend strict is served in the legacy (initialize) era", gateway.Stderr);
        Assert.Contains("strict: unknown method server/discover, exiting", gateway.Stderr);
    }

    [Fact]
    public async Task ModernHost_BackendCrash_ToldThroughItsListen_AndTheRestartedBackendServesAgain()
    {
        using GatewayConfig config = GatewayConfig.Write(("test", GatewayConfig.TestServer), ("modern", V2Server("reject", "modern")));
        await using RawMcpSsh gateway = Start(config);
        await gateway.WriteLineAsync(Request(7, "subscriptions/listen", "'notifications':{'toolsListChanged':true}"));
        Assert.Equal("notifications/subscriptions/acknowledged", Method(await gateway.ReadMessageAsync()));
        await gateway.WriteLineAsync(Request(1, "tools/call", "'name':'pid','arguments':{}"));
        string pidBefore = Text((await ReadUntilAsync(gateway, m => IsResponse(m, 1))).Last());

        await gateway.WriteLineAsync(Request(2, "tools/call", "'name':'crash','arguments':{}"));
        List<JsonElement> seen = await ReadUntilAsync(gateway, m => Method(m) == "notifications/tools/list_changed");
        Assert.Equal(7, seen.Last().GetProperty("params").GetProperty("_meta").GetProperty("io.modelcontextprotocol/subscriptionId").GetInt32());
        JsonElement crashed = seen.Any(m => IsResponse(m, 2)) ? seen.First(m => IsResponse(m, 2)) : (await ReadUntilAsync(gateway, m => IsResponse(m, 2))).Last();
        Assert.Contains("backend test exited with status 3 before answering", crashed.GetProperty("error").GetProperty("message").GetString());

        await gateway.WriteLineAsync(Request(3, "tools/call", "'name':'pid','arguments':{}"));
        JsonElement after = (await ReadUntilAsync(gateway, m => IsResponse(m, 3))).Last();
        Assert.NotEqual(pidBefore, Text(after));
        Assert.Equal("complete", Result(after).GetProperty("resultType").GetString());
    }

    [Fact]
    public async Task LegacyHost_SetLevel_ReachesAModernBackendAsItsPerRequestLogLevel()
    {
        await using RawMcpSsh gateway = Start();
        await gateway.WriteLineAsync(RawMcpSsh.Initialize);
        Result(await gateway.ReadResponseAsync());
        await gateway.WriteLineAsync(RawMcpSsh.Initialized);

        // No level yet: a modern server sends no log notifications at all.
        await gateway.WriteLineAsync(Request(2, "tools/call", "'name':'log','arguments':{}", ""));
        List<JsonElement> quiet = await ReadUntilAsync(gateway, m => IsResponse(m, 2));
        Assert.Equal("logged", Text(quiet.Last()));
        Assert.DoesNotContain(quiet, m => Method(m) == "notifications/message");

        await gateway.WriteLineAsync(Request(3, "logging/setLevel", "'level':'info'", ""));
        Result((await ReadUntilAsync(gateway, m => IsResponse(m, 3))).Last());
        await gateway.WriteLineAsync(Request(4, "tools/call", "'name':'log','arguments':{}", ""));
        List<JsonElement> logged = await ReadUntilAsync(gateway, m => IsResponse(m, 4));
        JsonElement message = Assert.Single(logged, m => Method(m) == "notifications/message");
        Assert.Equal("hello log", message.GetProperty("params").GetProperty("data").GetString());
    }

    [Fact]
    public async Task OneBackend_StaysAPlainRelay_TheModernServerAnswersDiscoverItself()
    {
        using GatewayConfig config = GatewayConfig.Write(("only", V2Server("reject", "only-modern")));
        await using RawMcpSsh gateway = Start(config);
        await gateway.WriteLineAsync(Request(1, "server/discover"));
        JsonElement discover = await gateway.ReadResponseAsync();

        // The backend's own answer, its member order included (the TypeScript SDK writes "result" first; the gateway would not).
        Assert.Equal("result", discover.EnumerateObject().First().Name);
        Assert.Equal("only-modern", Result(discover).GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
        gateway.CloseStdin();
        Assert.Equal(0, await gateway.WaitForExitAsync());
        Assert.DoesNotContain("is served in the", gateway.Stderr);
    }

    public void Dispose() => _config.Dispose();
}
