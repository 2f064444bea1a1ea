using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests.Era;

/// <summary>
/// The TS SDK v2 host in auto mode probes with server/discover on a sibling process and falls back to initialize
/// when that process exits; if a relay keeps the host's pipe open after the server died, the host waits out its
/// probe timeout (60 s) instead. Through the client over a real sshd, with a legacy server that exits on the probe
/// (what SDKs that end on any request before initialize do), the fallback must come as soon as the server exits.
/// </summary>
[Collection(EraMatrixCollection.Name)]
public sealed class EraProbeTests(EraMatrixFixture fixture)
{
    [Fact]
    public async Task AutoHost_ThroughTheClient_ServerExitsOnTheProbe_FallsBackAtOnce()
    {
        // A legacy server that exits (status 1, nothing written) when the first line is server/discover; otherwise it
        // hands every line, the first included, to server-everything.
        string script = $$"""IFS= read -r first; case "$first" in *server/discover*) exit 1;; esac; { printf '%s\n' "$first"; cat; } | exec {{TestPaths.Node}} {{TestPaths.EverythingServerJs}} stdio""";
        string command = "/bin/sh -c " + "'" + script.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

        Observation seen = await EraHosts.RunTypeScriptAsync("auto", TestPaths.McpSshBinary, fixture.ClientArgs(command),
            [("echo", new Dictionary<string, object?> { ["message"] = "after the fallback" })]);

        Assert.True(seen.Error is null, $"the session failed\n{seen}");
        Assert.Equal("2025-11-25", seen.ProtocolVersion);
        Assert.Equal("Echo: after the fallback", seen.Calls["echo"].Text);
        Assert.True(seen.ConnectMs < 30_000, $"connecting took {seen.ConnectMs} ms: the host waited out its probe timeout, so the relay did not pass the probe server's exit on\n{seen}");
    }
}
