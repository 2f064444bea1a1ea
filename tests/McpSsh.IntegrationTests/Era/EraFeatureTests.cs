using System.Diagnostics;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests.Era;

/// <summary>
/// The README's feature table, from what the gateway actually does: the TS SDK v2 host in each era (pinned to
/// 2026-07-28, or legacy) reaches `mcp-ssh gateway --prefix-names` with the servers of the matrix and
/// tests/node/era-features.mjs exercises every feature of each server in turn (tools, prompts, resources,
/// templates, completion, subscriptions, list-changed, logging, progress, elicitation, sampling, roots). One host
/// session per era; each (era, server, feature) is a cell of its own, so the table can be read off the results.
/// </summary>
public sealed class EraFeatureTests(EraFeatureTests.Sessions sessions) : IClassFixture<EraFeatureTests.Sessions>
{
    /// <summary>What each server can show. server-everything has no tool that changes its tool list; the v2 test server has no roots tool.</summary>
    private static readonly Dictionary<ServerEra, string[]> s_features = new()
    {
        [ServerEra.ModernOnly] = V2Features,
        [ServerEra.DualEra] = V2Features,
        [ServerEra.LegacyOnly] = ["tools", "prompts", "resources", "templates", "completion", "subscriptions", "logging", "progress", "elicitation", "sampling", "roots"],
    };

    private static string[] V2Features => ["tools", "prompts", "resources", "templates", "completion", "subscriptions", "listChanged", "logging", "progress", "elicitation", "sampling"];

    public static TheoryData<EraHost, ServerEra, string> Cells()
    {
        var cells = new TheoryData<EraHost, ServerEra, string>();
        foreach (EraHost host in new[] { EraHost.TsModern, EraHost.TsLegacy })
        {
            foreach ((ServerEra server, string[] features) in s_features)
            {
                foreach (string feature in features)
                {
                    cells.Add(host, server, feature);
                }
            }
        }

        return cells;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Feature_WorksThroughTheGateway_OrIsAClearGap(EraHost host, ServerEra server, string feature)
    {
        FeatureReport report = await sessions.ReportAsync(host);
        Assert.True(report.Error is null, $"the host session failed: {report.Error}\n{report.Log}");
        string name = EraServer.Of(server).Name;
        string? outcome = report.Features.GetValueOrDefault(name)?.GetValueOrDefault(feature);
        Assert.True(outcome is not null, $"no result for {name} {feature}\n{report.Log}");
        if (Gap(host, server, feature) is not var (refusal, logged))
        {
            Assert.True(outcome == "ok", $"{name} {feature}: {outcome}\n{report.Log}");
            return;
        }

        Assert.True(outcome.StartsWith("error: ", StringComparison.Ordinal) && outcome.Contains(refusal, StringComparison.Ordinal),
            $"{name} {feature}: expected the gateway's clear refusal \"{refusal}\", got: {outcome}\n{report.Log}");
        Assert.True(logged is null || report.Log.Contains(logged, StringComparison.Ordinal), $"the gateway did not say \"{logged}\"\n{report.Log}");
    }

    /// <summary>
    /// What cannot be bridged: a legacy server's server-to-client request (elicitation, sampling, roots) when the host
    /// speaks 2026-07-28, which has no such requests (it asks through input_required results the host retries; a
    /// legacy server cannot take part in that). The gateway answers the server with -32601 naming the gap, which the
    /// host sees in the tool's result; server-everything's roots tool swallows the error ("no roots"), so there the
    /// gateway's warning in its log is the evidence.
    /// </summary>
    private static (string Outcome, string? Log)? Gap(EraHost host, ServerEra server, string feature) => (host, server, feature) switch
    {
        (EraHost.TsModern, ServerEra.LegacyOnly, "elicitation") => (NotBridged("elicitation/create"), null),
        (EraHost.TsModern, ServerEra.LegacyOnly, "sampling") => (NotBridged("sampling/createMessage"), null),
        (EraHost.TsModern, ServerEra.LegacyOnly, "roots") => ("root not listed", NotBridged("roots/list")),
        _ => null,
    };

    private static string NotBridged(string method) => $"{method} from a 2025-11-25 server cannot be turned into an input_required result";

    /// <summary>What era-features.mjs reported: per server, per feature, "ok" or "error: ...".</summary>
    public sealed record FeatureReport(string? Error, Dictionary<string, Dictionary<string, string>> Features, string Log);

    /// <summary>The gateway's config and one era-features.mjs run per host era, shared by the cells.</summary>
    public sealed class Sessions : IDisposable
    {
        private readonly GatewayConfig _config = GatewayConfig.Write(EraMatrixFixture.Backends);
        private readonly Dictionary<EraHost, Lazy<Task<FeatureReport>>> _reports = [];

        public Task<FeatureReport> ReportAsync(EraHost host)
        {
            lock (_reports)
            {
                if (!_reports.TryGetValue(host, out Lazy<Task<FeatureReport>>? report))
                {
                    _reports[host] = report = new Lazy<Task<FeatureReport>>(() => RunAsync(host == EraHost.TsModern ? "modern" : "legacy"));
                }

                return report.Value;
            }
        }

        private async Task<FeatureReport> RunAsync(string mode)
        {
            var start = new ProcessStartInfo(TestPaths.Node) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (string arg in new[]
            {
                Path.Combine(TestPaths.RepoRoot, "tests", "node", "era-features.mjs"), mode, "--",
                TestPaths.McpSshBinary, "gateway", "--servers-config", _config.Path, "--prefix-names",
            })
            {
                start.ArgumentList.Add(arg);
            }

            using Process process = Process.Start(start)!;
            process.StandardInput.Close();
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(240));
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                return new FeatureReport("era-features.mjs did not finish in 240 s", [], await stderr);
            }

            string line = (await stdout).Trim();
            string log = line + "\n" + await stderr;
            if (line.Length == 0)
            {
                return new FeatureReport($"era-features.mjs exited {process.ExitCode} without a result line", [], log);
            }

            using var document = JsonDocument.Parse(line);
            var features = document.RootElement.GetProperty("features").EnumerateObject().ToDictionary(
                s => s.Name, s => s.Value.EnumerateObject().ToDictionary(f => f.Name, f => f.Value.GetString()!));
            return new FeatureReport(document.RootElement.TryGetProperty("error", out JsonElement error) ? error.GetString() : null, features, log);
        }

        public void Dispose() => _config.Dispose();
    }
}
