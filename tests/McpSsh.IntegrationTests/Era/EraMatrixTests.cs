namespace McpSsh.IntegrationTests.Era;

/// <summary>
/// Issue 13's matrix with real SDKs: every host (TS SDK v2 pinned to 2026-07-28 or legacy; C# SDK 2.4.0 probing or
/// pinned to 2025-11-25) × every server era (modern-only, dual-era on the TS and the C# SDK, legacy-only) × every path (gateway, serve over
/// SSH, the client alone over a real sshd). A cell lists the tools and must see that server's tools; it calls the
/// server's echo and must get its own text back from that server. Where the client alone joins a host and a server
/// with no era in common, the cell is the host SDK's clear refusal instead (nothing can bridge a byte relay).
/// </summary>
[Collection(EraMatrixCollection.Name)]
public sealed class EraMatrixTests(EraMatrixFixture fixture)
{
    /// <summary>A relay that keeps the host waiting for a probe answer costs v2 hosts their 60 s probe timeout; no cell may come near it.</summary>
    private const long StallMs = 30_000;

    public static TheoryData<EraPath, EraHost, ServerEra> Cells()
    {
        var cells = new TheoryData<EraPath, EraHost, ServerEra>();
        foreach (EraPath path in Enum.GetValues<EraPath>())
        {
            foreach (EraHost host in Enum.GetValues<EraHost>())
            {
                foreach (ServerEra server in Enum.GetValues<ServerEra>())
                {
                    cells.Add(path, host, server);
                }
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Cell_ListsTheServersToolsAndEchoesThroughIt(EraPath path, EraHost host, ServerEra server)
    {
        Observation seen = await fixture.ObserveAsync(path, host, server);
        CellExpectation expected = CellExpectation.Of(path, host, server);
        EraServer target = EraServer.Of(server);

        Assert.True(seen.ConnectMs < StallMs, $"connecting took {seen.ConnectMs} ms (a relay that does not pass the server's exit or answer on?)\n{seen}");
        if (!expected.Works)
        {
            Assert.True(seen.Error?.Contains(expected.ErrorFragment!, StringComparison.Ordinal) == true, $"expected a refusal with \"{expected.ErrorFragment}\"\n{seen}");
            return;
        }

        Assert.True(seen.Error is null, $"the session failed\n{seen}");
        Assert.True(seen.ProtocolVersion == expected.ProtocolVersion, $"negotiated {seen.ProtocolVersion}, expected {expected.ProtocolVersion}\n{seen}");
        Assert.True(seen.Tools.Contains(target.ToolName(path, "echo")) && seen.Tools.Contains(target.ToolName(path, target.OtherTool)),
            $"{target.Name}'s tools are missing from the list\n{seen}");
        string tool = target.ToolName(path, "echo");
        Assert.True(seen.Calls.TryGetValue(tool, out CallOutcome? call) && call.Error is null && !call.IsError, $"{tool} failed\n{seen}");
        Assert.Equal(target.EchoResult(EraMatrixFixture.EchoText(host, target)), call.Text);
    }
}
