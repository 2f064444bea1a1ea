using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests.Era;

/// <summary>An MCP host of the matrix: a real SDK client in one negotiation mode.</summary>
public enum EraHost
{
    /// <summary>TypeScript SDK v2 client, versionNegotiation pinned to 2026-07-28 (spawns the command twice: probe, session).</summary>
    TsModern,

    /// <summary>TypeScript SDK v2 client in legacy mode: the plain 2025-11-25 initialize.</summary>
    TsLegacy,

    /// <summary>C# SDK 2.4.0 client with no ProtocolVersion: probes server/discover in place, falls back to initialize.</summary>
    CsProbe,

    /// <summary>C# SDK 2.4.0 client with ProtocolVersion 2025-11-25: a plain initialize, no probe.</summary>
    CsLegacy,
}

/// <summary>Which eras a server of the matrix speaks.</summary>
public enum ServerEra
{
    /// <summary>TS SDK v2 serveStdio with legacy: 'reject' (2026-07-28 only; initialize gets -32022).</summary>
    ModernOnly,

    /// <summary>TS SDK v2 serveStdio in its default mode (server/discover and initialize both answered).</summary>
    DualEra,

    /// <summary>@modelcontextprotocol/server-everything (TS SDK v1: initialize only; server/discover gets -32601).</summary>
    LegacyOnly,

    /// <summary>tests/McpSsh.TestServer on the C# SDK 2.4.0, which answers server/discover (2026-07-28) and initialize alike.</summary>
    DualEraCSharp,
}

/// <summary>How the host reaches the servers.</summary>
public enum EraPath
{
    /// <summary>`mcp-ssh gateway` with all the servers (mixed eras) behind it, --prefix-names.</summary>
    Gateway,

    /// <summary>`mcp-ssh serve` (its sshd and gateway, all the servers) reached by the `mcp-ssh` client over SSH.</summary>
    Serve,

    /// <summary>The `mcp-ssh` client alone: a real sshd runs the one server (--remote-command): a byte relay.</summary>
    Client,
}

/// <summary>One server of the matrix: how to start it, its name behind the gateway and the echo call that proves it answers.</summary>
public sealed record EraServer(ServerEra Era, string Name, string Command, string[] Args, string EchoArgument, string EchoPrefix, string OtherTool)
{
    public static readonly EraServer Modern = V2(ServerEra.ModernOnly, "modern", "reject");
    public static readonly EraServer Dual = V2(ServerEra.DualEra, "dual", "serve");
    public static readonly EraServer Legacy = new(ServerEra.LegacyOnly, "legacy", TestPaths.Node, [TestPaths.EverythingServerJs, "stdio"], "message", "Echo: ", "get-sum");

    public static readonly EraServer CSharp = new(ServerEra.DualEraCSharp, "csharp", TestPaths.Dotnet, [TestPaths.TestServerDll], "message", "echo: ", "add");

    public static readonly EraServer[] All = [Modern, Dual, Legacy, CSharp];

    public static EraServer Of(ServerEra era) => All.Single(s => s.Era == era);

    /// <summary>The shell command line (sshd's --remote-command); every word is an absolute path or a plain word.</summary>
    public string CommandLine => string.Join(' ', [Command, .. Args]);

    /// <summary>The tool name the host sees: SERVER__name behind a gateway with --prefix-names, the bare name over the relay.</summary>
    public string ToolName(EraPath path, string tool) => path == EraPath.Client ? tool : $"{Name}__{tool}";

    /// <summary>What echo answers for <paramref name="text"/>: the v2 test server returns it as is, server-everything prefixes "Echo: ", the C# one "echo: ".</summary>
    public string EchoResult(string text) => EchoPrefix + text;

    private static EraServer V2(ServerEra era, string name, string legacy) =>
        new(era, name, TestPaths.Node, [Path.Combine(TestPaths.RepoRoot, "tests", "node", "v2-server.mjs"), legacy, name, name], "text", "", "confirm"); // URIs name://...
}

/// <summary>
/// What a cell must show. Through the gateway and serve every pair must work (the gateway serves each backend in its
/// own era and bridges). Through the client alone nothing can bridge (the relay forwards bytes), so a pair with no
/// common era is a clear error from the host's SDK, quickly (no 60 s probe stall), with this text in it.
/// A working cell also names the era the host must end up in: a pinned host its pin; the probing C# host the modern
/// era whenever server/discover is answered (the gateway always answers it), the legacy era only from a legacy-only
/// server reached through the relay.
/// </summary>
public sealed record CellExpectation(bool Works, string? ErrorFragment, string? ProtocolVersion)
{
    public const string Modern = "2026-07-28";
    public const string Legacy = "2025-11-25";

    public static CellExpectation Of(EraPath path, EraHost host, ServerEra server) => (path, host, server) switch
    {
        (EraPath.Client, EraHost.TsModern, ServerEra.LegacyOnly) => Refused("did not offer pinned protocol version 2026-07-28"),
        (EraPath.Client, EraHost.TsLegacy or EraHost.CsLegacy, ServerEra.ModernOnly) => Refused("Unsupported protocol version: 2025-11-25"),
        (EraPath.Client, EraHost.CsProbe, ServerEra.LegacyOnly) => Working(Legacy),
        (_, EraHost.TsModern or EraHost.CsProbe, _) => Working(Modern),
        _ => Working(Legacy),
    };

    private static CellExpectation Working(string version) => new(true, null, version);

    private static CellExpectation Refused(string fragment) => new(false, fragment, null);
}
