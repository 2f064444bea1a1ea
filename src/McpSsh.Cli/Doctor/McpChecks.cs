using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using McpSsh.JsonRpc;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// The MCP steps: the handshake (modern <c>server/discover</c> with a 2026-07-28 envelope first, then the legacy
/// <c>initialize</c>), the counts of tools, prompts and resources, and the round-trip latency of <c>tools/list</c>
/// (answered in both eras) as the median of <see cref="LatencySamples"/> calls.
/// </summary>
internal sealed class McpChecks(McpProbe probe)
{
    public const int LatencySamples = 10;

    private bool _modern;

    public async Task<DoctorStep> HandshakeAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            JsonElement discover = await probe.RequestAsync(McpMethods.Discover, Envelope(), stop);
            if (discover.TryGetProperty("result", out JsonElement modern))
            {
                _modern = true;
                string name = ServerName(modern, fromMeta: true);
                string version = modern.TryGetProperty("supportedVersions", out JsonElement versions) && versions.ValueKind == JsonValueKind.Array
                    ? string.Join(", ", versions.EnumerateArray().Select(v => v.ToString()))
                    : McpProtocolVersions.Modern;
                return Ok(clock, $"{name}, protocol {version} (server/discover)", name, version);
            }

            JsonElement initialize = await probe.RequestAsync(McpMethods.Initialize, new JsonObject
            {
                ["protocolVersion"] = McpProtocolVersions.LatestLegacy,
                ["capabilities"] = new JsonObject(),
                ["clientInfo"] = ClientInfo(),
            }, stop);
            if (initialize.TryGetProperty("result", out JsonElement legacy))
            {
                probe.Notify(McpMethods.Initialized);
                string name = ServerName(legacy, fromMeta: false);
                string version = legacy.TryGetProperty("protocolVersion", out JsonElement v) ? v.ToString() : "?";
                return Ok(clock, $"{name}, protocol {version} (initialize; server/discover: {ErrorText(discover)})", name, version);
            }

            return Failed(clock, "handshake", $"the MCP server refused both server/discover ({ErrorText(discover)}) and initialize ({ErrorText(initialize)})", ExitCodes.Protocol);
        }
        catch (McpProbeException ex)
        {
            return Failed(clock, "handshake", ex.Message + (ex.RemoteClosed ? ". Check the server's logs and the command it runs (--remote-command, or the authorized_keys command=)" : ""),
                ex.RemoteClosed ? ExitCodes.RemoteClosed : ExitCodes.Protocol);
        }
    }

    /// <summary>How many tools, prompts and resources the server lists (first pages, following nextCursor).</summary>
    public async Task<DoctorStep> CountsAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            List<DoctorFact> facts = [];
            foreach ((string method, string member) in new[] { (McpMethods.ToolsList, "tools"), (McpMethods.PromptsList, "prompts"), (McpMethods.ResourcesList, "resources") })
            {
                facts.Add(new DoctorFact(member, await CountAsync(method, member, stop)));
            }

            return new DoctorStep("capabilities", DoctorStatus.Ok, clock.Elapsed.TotalMilliseconds, string.Join(", ", facts.Select(f => $"{f.Value} {f.Name}"))) { Facts = facts };
        }
        catch (McpProbeException ex)
        {
            return Failed(clock, "capabilities", ex.Message, ex.RemoteClosed ? ExitCodes.RemoteClosed : ExitCodes.Protocol);
        }
    }

    public async Task<DoctorStep> LatencyAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var samples = new List<double>(LatencySamples);
            for (int i = 0; i < LatencySamples; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await probe.RequestAsync(McpMethods.ToolsList, _modern ? Envelope() : null, stop);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            samples.Sort();
            double p50 = (samples[(LatencySamples - 1) / 2] + samples[LatencySamples / 2]) / 2;
            return new DoctorStep("latency", DoctorStatus.Ok, clock.Elapsed.TotalMilliseconds,
                $"p50 {p50:0.0} ms over {LatencySamples} tools/list calls (min {samples[0]:0.0}, max {samples[^1]:0.0})")
            {
                Facts = [new("p50_ms", p50.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)), new("samples", LatencySamples.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            };
        }
        catch (McpProbeException ex)
        {
            return Failed(clock, "latency", ex.Message, ex.RemoteClosed ? ExitCodes.RemoteClosed : ExitCodes.Protocol);
        }
    }

    private async Task<string> CountAsync(string method, string member, CancellationToken stop)
    {
        int count = 0;
        string? cursor = null;
        for (int page = 0; page < 20; page++)
        {
            JsonObject? parameters = _modern ? Envelope() : null;
            if (cursor is not null)
            {
                parameters ??= [];
                parameters["cursor"] = cursor;
            }

            JsonElement answer = await probe.RequestAsync(method, parameters, stop);
            if (!answer.TryGetProperty("result", out JsonElement result))
            {
                return "no"; // the server does not offer them (-32601)
            }

            count += result.TryGetProperty(member, out JsonElement items) && items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0;
            cursor = result.TryGetProperty("nextCursor", out JsonElement next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (cursor is null)
            {
                break;
            }
        }

        return count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static JsonObject Envelope() => new()
    {
        [McpMetaKeys.Meta] = new JsonObject
        {
            [McpMetaKeys.ProtocolVersion] = McpProtocolVersions.Modern,
            [McpMetaKeys.ClientCapabilities] = new JsonObject(),
            [McpMetaKeys.ClientInfo] = ClientInfo(),
        },
    };

    private static JsonObject ClientInfo() => new() { ["name"] = "mcp-ssh-doctor", ["version"] = typeof(McpChecks).Assembly.GetName().Version?.ToString(3) ?? "0" };

    private static string ServerName(JsonElement result, bool fromMeta)
    {
        JsonElement info = default;
        bool found = fromMeta
            ? result.TryGetProperty(McpMetaKeys.Meta, out JsonElement meta) && meta.TryGetProperty(McpMetaKeys.ServerInfo, out info)
            : result.TryGetProperty("serverInfo", out info);
        return found && info.ValueKind == JsonValueKind.Object && info.TryGetProperty("name", out JsonElement name) ? name.ToString() : "(unnamed server)";
    }

    private static string ErrorText(JsonElement answer) =>
        answer.TryGetProperty("error", out JsonElement error)
            ? $"{(error.TryGetProperty("code", out JsonElement c) ? c.ToString() : "?")} {(error.TryGetProperty("message", out JsonElement m) ? m.ToString() : "")}".Trim()
            : "no result";

    private static DoctorStep Ok(Stopwatch clock, string detail, string name, string version) =>
        new("mcp", DoctorStatus.Ok, clock.Elapsed.TotalMilliseconds, detail) { Facts = [new("server", name), new("protocol", version)] };

    private static DoctorStep Failed(Stopwatch clock, string what, string error, int exitCode) =>
        new(what == "handshake" ? "mcp" : what, DoctorStatus.Failed, clock.Elapsed.TotalMilliseconds, error) { Error = $"mcp-ssh: {error}", ExitCode = exitCode };
}
