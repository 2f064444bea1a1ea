using System.Text.RegularExpressions;
using McpSsh.IntegrationTests.Fixtures;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>
/// Merged names through `mcp-ssh gateway` with real servers whose server names and tool and prompt names hosts
/// would reject: every merged name matches ^[a-zA-Z0-9_-]{1,64}$, is unique, is the same in a second session,
/// and still routes a call to the backend that owns it, under the backend's own name.
/// </summary>
public sealed partial class GatewayNameTests : IDisposable
{
    public static readonly string OddServerJs = Path.Combine(TestPaths.RepoRoot, "tests", "McpSsh.IntegrationTests", "Fixtures", "odd-names-server.js");

    /// <summary>The tools and prompts odd-names-server.js offers, as it names them.</summary>
    public static readonly string[] OddTools = ["echo", "files.read", "do it/now", "ツール", new string('a', 100) + "_x", new string('a', 100) + "_y", "get_item", "get.item", "delete_all", "delete_one"];
    private static readonly string[] s_oddPrompts = ["greet", "greet.formal", new string('p', 90)];

    // A long server name and one with a space, a dot and non-ASCII: what people do name servers.
    private const string LongServer = "my-company-internal-knowledge-base-search-server-production-eu-west-1";
    private const string OddServer = "日本語 files.v2";

    private readonly GatewayConfig _config = GatewayConfig.Write((LongServer, (TestPaths.Node, [OddServerJs])), (OddServer, (TestPaths.Node, [OddServerJs])));

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex HostRule();

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private static IEnumerable<string> Owned(params string[] names) => [.. names.Select(n => $"{LongServer}:{n}"), .. names.Select(n => $"{OddServer}:{n}")];

    /// <summary>Lists, checks every name, calls every tool and gets every prompt; returns the names in list order.</summary>
    /// <param name="era">"2025-11-25" pins a legacy host; null lets the C# SDK client probe, so it speaks 2026-07-28 to the gateway.</param>
    private async Task<(List<string> Tools, List<string> Prompts)> CheckNamesAndRoutesAsync(string? era, params string[] extra)
    {
        await using ClientSession session = await McpSshRun.ConnectAsync(["gateway", "--servers-config", _config.Path, .. extra], new McpClientOptions { ProtocolVersion = era });
        Assert.Equal(era ?? "2026-07-28", session.Client.NegotiatedProtocolVersion);
        McpClient client = session.Client;
        List<string> tools = [.. (await client.ListToolsAsync()).Select(t => t.Name)];
        List<string> prompts = [.. (await client.ListPromptsAsync()).Select(p => p.Name)];

        Assert.All(tools.Concat(prompts), name => Assert.Matches(HostRule(), name));
        Assert.Equal(2 * OddTools.Length, tools.Distinct().Count());
        Assert.Equal(2 * s_oddPrompts.Length, prompts.Distinct().Count());

        // Each merged name reaches exactly one backend, which sees its own name: together they are every tool once.
        var reached = new List<string>();
        foreach (string tool in tools)
        {
            reached.Add(Text(await client.CallToolAsync(tool)));
        }

        Assert.Equal(Owned(OddTools).Order(StringComparer.Ordinal), reached.Order(StringComparer.Ordinal));

        var got = new List<string>();
        foreach (string prompt in prompts)
        {
            got.Add(Assert.IsType<TextContentBlock>(Assert.Single((await client.GetPromptAsync(prompt)).Messages).Content).Text);
        }

        Assert.Equal(Owned(s_oddPrompts).Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        return (tools, prompts);
    }

    [Fact]
    public async Task SuffixNames_OddAndLongNames_AreValidUniqueAndRoute()
    {
        (List<string> tools, _) = await CheckNamesAndRoutesAsync("2025-11-25");
        // The first server keeps what it can, sanitised; the second counts up.
        Assert.Equal(["echo", "files_read", "do_it_now", "___", new string('a', 57) + "_" + tools[4][^6..]], tools.Take(5));
        Assert.Contains("echo_1", tools);
        Assert.Contains("get_item_1", tools); // "get.item" of the first server sanitises onto its "get_item"
    }

    [Fact]
    public async Task PrefixNames_LongAndOddServerNames_AreValidStableAcrossSessionsAndErasAndRoute()
    {
        (List<string> tools, List<string> prompts) = await CheckNamesAndRoutesAsync(null, "--prefix-names");
        Assert.Contains(tools, t => t.StartsWith("my-company-intern_", StringComparison.Ordinal) && t.EndsWith("__echo", StringComparison.Ordinal));
        Assert.Contains("____files_v2__echo", tools);
        Assert.Contains("____files_v2__files_read", tools);

        // A restarted gateway (a new session, here with a host of the other era) gives the very same names, so a
        // host's saved permissions still apply.
        (List<string> again, List<string> promptsAgain) = await CheckNamesAndRoutesAsync("2025-11-25", "--prefix-names");
        Assert.Equal(tools, again);
        Assert.Equal(prompts, promptsAgain);
    }

    public void Dispose() => _config.Dispose();
}
