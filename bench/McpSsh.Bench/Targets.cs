using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace McpSsh.Bench;

/// <summary>One target of issue 16: what mcp-ssh and `ssh -T` measured in the same run, the ratio, and whether it is met.</summary>
internal sealed record TargetRow(string Target, string Bound, double? Ours, double? Ssh, string Unit, double? Ratio, bool? Met);

/// <summary>
/// Issue 16's targets (ratios to `ssh -T` in the same run, far end `cat`), read back from the suites' JSON
/// (artifacts/bench/relay.json and footprint.json), so a table can be made for any run and two runs compared.
/// </summary>
internal static class Targets
{
    public static List<TargetRow> FromDirectory(string dir) => From(Load(Path.Combine(dir, "relay.json")), Load(Path.Combine(dir, "footprint.json")));

    public static List<TargetRow> From(JsonObject? relay, JsonObject? footprint)
    {
        JsonObject? ours = Row(relay, "mcp-ssh"), ssh = Row(relay, "ssh -T");
        double? Get(JsonObject? row, string key) => row?[key] is JsonValue v ? v.GetValue<double>() : null;
        double? Sum(JsonObject? row, params string[] keys) => keys.Select(k => Get(row, k)).Aggregate((double?)0, (a, b) => a + b);
        TargetRow Ratio(string target, string bound, double? a, double? b, string unit, Func<double, bool> met)
        {
            double? ratio = a is { } x && b is { } y && y > 0 ? x / y : null;
            return new TargetRow(target, bound, a, b, unit, ratio, ratio is { } r ? met(r) : null);
        }

        var rows = new List<TargetRow>
        {
            Ratio("Peak RSS, relay workload (calls, 4 MiB, 200 concurrent)", "≤ 1.3x", Get(ours, "peak_rss_mb"), Get(ssh, "peak_rss_mb"), "MB", r => r <= 1.3),
        };
        JsonNode? peaks = footprint?["peak_rss_mb_by_message_mib"];
        foreach (string mib in new[] { "1", "4", "16" })
        {
            rows.Add(Ratio($"Peak RSS, one {mib} MiB message each way", "≤ 1.3x", Number(peaks?["mcp-ssh"]?[mib]), Number(peaks?["ssh -T"]?[mib]), "MB", r => r <= 1.3));
        }

        double? idle = Number(footprint?["idle_connected"]?["mcp-ssh"]?["rss_mb"]);
        double? idleSsh = Number(footprint?["idle_connected"]?["ssh -T"]?["rss_mb"]);
        rows.Add(new TargetRow("Idle connected RSS", "≤ 12 MB", idle, idleSsh, "MB", idle is { } i && idleSsh is { } s && s > 0 ? i / s : null, idle is { } m ? m <= 12 : null));
        rows.Add(Ratio("4 MiB throughput, each way", "≥ 1.3x", Get(ours, "throughput_mib_s"), Get(ssh, "throughput_mib_s"), "MiB/s", r => r >= 1.3));
        rows.Add(Ratio("Relay CPU (utime+stime), 2000 sequential calls + 10 x 4 MiB each way", "≤ 1.0x",
            Sum(ours, "cpu_ms_sequential_calls", "cpu_ms_4mib_transfers"), Sum(ssh, "cpu_ms_sequential_calls", "cpu_ms_4mib_transfers"), "ms", r => r <= 1.0));
        rows.Add(Ratio("Latency p50", "≤ 0.9x", Get(ours, "latency_p50_us"), Get(ssh, "latency_p50_us"), "µs", r => r <= 0.9));
        rows.Add(Ratio("Latency p99", "≤ 0.8x", Get(ours, "latency_p99_us"), Get(ssh, "latency_p99_us"), "µs", r => r <= 0.8));
        rows.Add(Ratio("Cold start (connect to first answer)", "≤ 0.4x", Get(ours, "cold_start_ms"), Get(ssh, "cold_start_ms"), "ms", r => r <= 0.4));
        return rows;
    }

    /// <summary>The "Targets (issue 16)" table.</summary>
    public static void Write(List<TargetRow> rows, TextWriter md)
    {
        md.WriteLine("| target | bound | measured: mcp-ssh / ssh -T | ratio | met/missed |");
        md.WriteLine("|---|---|---:|---:|---|");
        foreach (TargetRow row in rows)
        {
            md.WriteLine($"| {row.Target} | {row.Bound} | {Measured(row)} | {RatioText(row.Ratio)} | {Verdict(row.Met)} |");
        }

        int met = rows.Count(r => r.Met == true), measured = rows.Count(r => r.Met is not null);
        md.WriteLine();
        md.WriteLine($"{met} of {measured} measured targets met (ratios to `ssh -T` in the same run, far end `cat`; idle RSS is absolute, its ratio is shown for reference).");
    }

    /// <summary>Before/after table of two runs (two artifacts/bench directories).</summary>
    public static void WriteComparison(List<TargetRow> before, List<TargetRow> after, TextWriter md)
    {
        md.WriteLine("| target | bound | before: mcp-ssh / ssh -T (ratio) | after: mcp-ssh / ssh -T (ratio) | before → after |");
        md.WriteLine("|---|---|---:|---:|---|");
        foreach (TargetRow now in after)
        {
            TargetRow? then = before.FirstOrDefault(r => r.Target == now.Target);
            string Cell(TargetRow? r) => r is null ? "n/a" : $"{Measured(r)} ({RatioText(r.Ratio)})";
            md.WriteLine($"| {now.Target} | {now.Bound} | {Cell(then)} | {Cell(now)} | {Verdict(then?.Met)} → {Verdict(now.Met)} |");
        }
    }

    public static JsonArray ToJson(List<TargetRow> rows) => [.. rows.Select(r => (JsonNode)new JsonObject
    {
        ["target"] = r.Target,
        ["bound"] = r.Bound,
        ["unit"] = r.Unit,
        ["mcp_ssh"] = r.Ours is { } o ? Math.Round(o, 2) : null,
        ["ssh_t"] = r.Ssh is { } s ? Math.Round(s, 2) : null,
        ["ratio"] = r.Ratio is { } q ? Math.Round(q, 3) : null,
        ["met"] = r.Met,
    })];

    private static string Measured(TargetRow row) => row.Ours is null && row.Ssh is null ? "n/a" : $"{Num(row.Ours)} / {Num(row.Ssh)} {row.Unit}";

    private static string Num(double? v) => v is { } x ? x.ToString(x >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) : "n/a";

    private static string RatioText(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "n/a";

    private static string Verdict(bool? met) => met switch { true => "met", false => "missed", null => "not measured" };

    private static double? Number(JsonNode? node) => node is JsonValue v ? v.GetValue<double>() : null;

    private static JsonObject? Row(JsonObject? relay, string mode) =>
        relay?["cat"]?["rows"]?.AsArray().OfType<JsonObject>().FirstOrDefault(r => r["mode"]?.GetValue<string>() == mode);

    private static JsonObject? Load(string path) => File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;

    /// <summary>`targets DIR`: prints the table for one run and writes DIR/targets.json; `compare OLD NEW`: the before/after table.</summary>
    public static bool TryRun(string[] args)
    {
        if (args is ["targets", string dir])
        {
            List<TargetRow> rows = FromDirectory(dir);
            Write(rows, Console.Out);
            File.WriteAllText(Path.Combine(dir, "targets.json"), new JsonObject { ["targets"] = ToJson(rows) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return true;
        }

        if (args is ["compare", string old, string now])
        {
            WriteComparison(FromDirectory(old), FromDirectory(now), Console.Out);
            return true;
        }

        return false;
    }
}
