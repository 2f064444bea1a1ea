using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using McpSsh.Bench;

// Gateway rows of scripts/bench: per-call overhead of `mcp-ssh gateway` over calling the backend directly
// (one backend = relay, four = router) and tools/list fan-out over four backends vs the slowest one alone.
// Modes are interleaved round by round so machine drift hits them alike.
if (Targets.TryRun(args))
{
    return;
}

var options = BenchOptions.Parse(args);
if (options.Suite is "relay" or "footprint")
{
    using var markdown = new StringWriter();
    JsonObject relay = options.Suite == "relay" ? RelayBench.Run(options, markdown) : FootprintBench.Run(options, markdown);
    Console.Write(markdown.ToString());
    if (options.JsonOut is not null)
    {
        File.WriteAllText(options.JsonOut, relay.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    if (options.MarkdownOut is not null)
    {
        File.WriteAllText(options.MarkdownOut, markdown.ToString());
    }

    return;
}

string configDir = Directory.CreateTempSubdirectory("mcp-ssh-bench-").FullName;
try
{
    Server test = new(options.Dotnet, [options.TestServerDll]);
    Server everything = new(options.Node, [options.EverythingJs, "stdio"]);
    Server Delayed(int ms) => test with { Env = new() { ["TEST_SERVER_LIST_DELAY_MS"] = ms.ToString(CultureInfo.InvariantCulture) } };
    string one = WriteConfig(configDir, "one.json", ("t1", test));
    string four = WriteConfig(configDir, "four.json", ("t1", test), ("t2", test), ("t3", test), ("t4", test));
    string mixed = WriteConfig(configDir, "mixed.json", ("t1", test), ("e1", everything), ("t2", test), ("e2", everything));
    string delayed = WriteConfig(configDir, "delayed.json", ("d2", Delayed(2)), ("d4", Delayed(4)), ("d6", Delayed(6)), ("d8", Delayed(8)));

    var callModes = new (string Name, Func<StdioPeer> Start)[]
    {
        ("direct", () => new StdioPeer(test)),
        ("gateway, 1 backend (relay)", () => new StdioPeer(options.McpSsh, ["gateway", "--servers-config", one, "--log-level", "warning"])),
        ("gateway, 4 backends (router)", () => new StdioPeer(options.McpSsh, ["gateway", "--servers-config", four, "--log-level", "warning"])),
    };
    // Two fan-out cases: CPU-bound backends (on 2 cores four of them compete for the CPU), and backends that take
    // a while to answer (2, 4, 6, 8 ms), where the fan-out's parallelism is what counts.
    var listModes = new (string Name, Func<StdioPeer> Start)[]
    {
        ("C# test server alone", () => new StdioPeer(test)),
        ("server-everything alone", () => new StdioPeer(everything)),
        ("gateway over 2 C# + 2 server-everything", () => new StdioPeer(options.McpSsh, ["gateway", "--servers-config", mixed, "--log-level", "warning"])),
        ("C# test server answering in 8 ms, alone", () => new StdioPeer(Delayed(8))),
        ("gateway over 4 answering in 2, 4, 6, 8 ms", () => new StdioPeer(options.McpSsh, ["gateway", "--servers-config", delayed, "--log-level", "warning"])),
    };

    var callSamples = callModes.ToDictionary(m => m.Name, _ => new List<double>());
    var listSamples = listModes.ToDictionary(m => m.Name, _ => new List<double>());
    for (int round = 0; round < options.Rounds; round++)
    {
        foreach (var mode in Rotate(callModes, round))
        {
            callSamples[mode.Name].AddRange(Measure(mode.Start, "tools/call", """{"name":"echo","arguments":{"message":"hello"}}""", options.Warmup, options.Calls));
            Console.Error.WriteLine($"round {round + 1}/{options.Rounds}: {mode.Name} done");
        }

        foreach (var mode in Rotate(listModes, round))
        {
            listSamples[mode.Name].AddRange(Measure(mode.Start, "tools/list", "{}", 100, options.Lists));
            Console.Error.WriteLine($"round {round + 1}/{options.Rounds}: {mode.Name} tools/list done");
        }
    }

    Report(options, callSamples, listSamples);
}
finally
{
    Directory.Delete(configDir, recursive: true);
}

static IEnumerable<T> Rotate<T>(T[] items, int by) => items.Skip(by % items.Length).Concat(items.Take(by % items.Length));

/// <summary>Starts a fresh peer, warms it (JIT, tiering), then times each request from write to its response line.</summary>
static List<double> Measure(Func<StdioPeer> start, string method, string parameters, int warmup, int count)
{
    using StdioPeer peer = start();
    peer.Initialize();
    for (int i = 0; i < warmup; i++)
    {
        peer.Call(method, parameters);
    }

    var samples = new List<double>(count);
    TimeSpan cpuBefore = peer.CpuTime;
    for (int i = 0; i < count; i++)
    {
        long begin = Stopwatch.GetTimestamp();
        peer.Call(method, parameters);
        samples.Add(Stopwatch.GetElapsedTime(begin).TotalMicroseconds);
    }

    if (Environment.GetEnvironmentVariable("BENCH_CPU") is not null)
    {
        Console.Error.WriteLine($"  {method}: peer pid {peer.Pid} used {(peer.CpuTime - cpuBefore).TotalMicroseconds / count:0.0} µs CPU per request");
    }

    return samples;
}

static double Percentile(List<double> samples, double p)
{
    var sorted = samples.Order().ToList();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
}

static string WriteConfig(string dir, string file, params (string Name, Server Server)[] servers)
{
    var entries = new JsonObject();
    foreach (var (name, server) in servers)
    {
        var env = new JsonObject();
        foreach ((string key, string value) in server.Env ?? [])
        {
            env[key] = value;
        }

        entries[name] = new JsonObject { ["command"] = server.Command, ["args"] = new JsonArray([.. server.Args.Select(a => JsonValue.Create(a))]), ["env"] = env };
    }

    string path = Path.Combine(dir, file);
    File.WriteAllText(path, new JsonObject { ["mcpServers"] = entries }.ToJsonString());
    return path;
}

static void Report(BenchOptions options, Dictionary<string, List<double>> calls, Dictionary<string, List<double>> lists)
{
    static string Us(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);
    double directP50 = Percentile(calls["direct"], 50);
    double directP99 = Percentile(calls["direct"], 99);
    var json = new JsonObject
    {
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
        ["calls_per_round"] = options.Calls,
        ["rounds"] = options.Rounds,
    };

    Console.WriteLine($"Per-call latency, tools/call echo on the C# SDK test server ({options.Rounds} rounds x {options.Calls} calls after {options.Warmup} warm-up, µs)");
    Console.WriteLine();
    Console.WriteLine("| mode | p50 | p99 | p50 over direct | p99 over direct |");
    Console.WriteLine("|---|---:|---:|---:|---:|");
    var callRows = new JsonArray();
    foreach ((string mode, List<double> samples) in calls)
    {
        double p50 = Percentile(samples, 50), p99 = Percentile(samples, 99);
        string over50 = mode == "direct" ? "" : "+" + Us(p50 - directP50);
        string over99 = mode == "direct" ? "" : "+" + Us(p99 - directP99);
        Console.WriteLine($"| {mode} | {Us(p50)} | {Us(p99)} | {over50} | {over99} |");
        callRows.Add(new JsonObject { ["mode"] = mode, ["p50_us"] = Math.Round(p50, 1), ["p99_us"] = Math.Round(p99, 1), ["p50_overhead_us"] = Math.Round(p50 - directP50, 1), ["p99_overhead_us"] = Math.Round(p99 - directP99, 1) });
    }

    json["calls"] = callRows;
    // Each gateway row is compared with the slowest "alone" row above it.
    double slowestAlone = 0;
    Console.WriteLine();
    Console.WriteLine($"tools/list fan-out ({options.Rounds} rounds x {options.Lists} lists, µs; each gateway row against the slowest backend alone above it)");
    Console.WriteLine();
    Console.WriteLine("| mode | p50 | p99 | p50 / slowest alone |");
    Console.WriteLine("|---|---:|---:|---:|");
    var listRows = new JsonArray();
    foreach ((string mode, List<double> samples) in lists)
    {
        double p50 = Percentile(samples, 50), p99 = Percentile(samples, 99);
        bool alone = mode.EndsWith("alone", StringComparison.Ordinal);
        slowestAlone = alone ? Math.Max(slowestAlone, p50) : slowestAlone;
        string ratio = alone ? "" : (p50 / slowestAlone).ToString("0.00", CultureInfo.InvariantCulture) + "x";
        Console.WriteLine($"| {mode} | {Us(p50)} | {Us(p99)} | {ratio} |");
        listRows.Add(new JsonObject { ["mode"] = mode, ["p50_us"] = Math.Round(p50, 1), ["p99_us"] = Math.Round(p99, 1), ["ratio_to_slowest_alone"] = alone ? null : Math.Round(p50 / slowestAlone, 3) });
        slowestAlone = alone ? slowestAlone : 0;
    }

    json["tools_list"] = listRows;
    if (options.JsonOut is not null)
    {
        File.WriteAllText(options.JsonOut, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}

/// <summary>How to start one stdio MCP server.</summary>
internal sealed record Server(string Command, string[] Args, Dictionary<string, string>? Env = null);
