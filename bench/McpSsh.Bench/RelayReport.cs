using System.Globalization;
using System.Text.Json.Nodes;

namespace McpSsh.Bench;

/// <summary>The relay suite's tables, with each far end's ratios to `ssh -T` (added to the JSON as ratios_to_ssh).</summary>
internal static class RelayReport
{
    public static void Write(JsonObject result, TextWriter md)
    {
        static string F(JsonNode? v, string format) => v is null ? "n/a" : v.GetValue<double>().ToString(format, CultureInfo.InvariantCulture);
        foreach (string farEnd in new[] { "cat", "mcp" }.Where(result.ContainsKey))
        {
            JsonArray rows = result[farEnd]!["rows"]!.AsArray();
            md.WriteLine(farEnd == "cat"
                ? "Far end `cat` (the relay's own cost):"
                : "Far end: the C# SDK test server (a real MCP server; its own start-up and JSON work dominate):");
            md.WriteLine();
            md.WriteLine("| mode | cold start ms (median of 20) | p50 µs | p99 µs | 4 MiB each way, MiB/s | 200 concurrent, ms | peak RSS MB | CPU ms, 2000 calls | CPU ms, 10 x 4 MiB |");
            md.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (JsonObject row in rows.OfType<JsonObject>())
            {
                md.WriteLine($"| {row["mode"]} | {F(row["cold_start_ms"], "0.0")} | {F(row["latency_p50_us"], "0.0")} | {F(row["latency_p99_us"], "0.0")} | "
                    + $"{F(row["throughput_mib_s"], "0.0")} | {F(row["concurrent_200_ms"], "0.00")} | {F(row["peak_rss_mb"], "0.0")} | "
                    + $"{F(row["cpu_ms_sequential_calls"], "0")} | {F(row["cpu_ms_4mib_transfers"], "0")} |");
            }

            // The same ratios as the targets table, for this far end.
            List<TargetRow> targets = Targets.From(new JsonObject { ["cat"] = result[farEnd]!.DeepClone() }, null);
            var ratios = new JsonObject();
            foreach ((string key, string target) in new[]
            {
                ("cold_start", "Cold start"), ("latency_p50", "Latency p50"), ("latency_p99", "Latency p99"),
                ("throughput", "4 MiB throughput"), ("peak_rss", "Peak RSS, relay"), ("relay_cpu", "Relay CPU"),
            })
            {
                TargetRow row = targets.First(t => t.Target.StartsWith(target, StringComparison.Ordinal));
                ratios[key] = row.Ratio is { } r ? Math.Round(r, 2) : null;
            }

            result[farEnd]!["ratios_to_ssh"] = ratios;
            md.WriteLine();
            md.WriteLine("CPU: user + system time (utime + stime, in kernel clock ticks of usually 10 ms) of the relaying process "
                + $"(mcp-ssh, or the `ssh` client; the far end and sshd not counted), for {result[farEnd]!["cpu_workload"]}.");
            md.WriteLine();
            md.WriteLine("mcp-ssh / ssh -T: " + string.Join(", ", targets.Where(t => t.Ratio is not null && !t.Target.StartsWith("Idle", StringComparison.Ordinal) && !t.Target.Contains("message", StringComparison.Ordinal))
                .Select(t => $"{ShortName(t.Target)} {t.Ratio!.Value.ToString("0.00", CultureInfo.InvariantCulture)}x (target {t.Bound}{(farEnd == "cat" ? t.Met == true ? ": met" : ": missed" : "")})"))
                + (farEnd == "cat" ? "" : " — targets apply to the `cat` far end"));
            md.WriteLine();
        }
    }

    private static string ShortName(string target) => target.Split(new[] { " (", "," }, StringSplitOptions.None)[0];
}
