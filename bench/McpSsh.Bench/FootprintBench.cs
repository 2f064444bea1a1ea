using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace McpSsh.Bench;

/// <summary>
/// Memory beside `ssh -T` (issue 16): resident memory of a connected, idle client; peak resident memory while one
/// 1, 4 or 16 MiB message goes through and back (far end `cat`); and what one `mcp-ssh serve` session costs on
/// the server (its sshd processes plus the gateway, not the MCP server) against one `ssh -T` session's sshd
/// processes. A fresh process per measurement, modes interleaved. Numbers are reported, never asserted.
/// </summary>
internal static class FootprintBench
{
    private static readonly int[] MessageMiB = [1, 4, 16];

    public static JsonObject Run(BenchOptions options, TextWriter markdown)
    {
        string dir = Directory.CreateTempSubdirectory("mcp-ssh-bench-footprint-").FullName;
        Process? sshd = null;
        try
        {
            (sshd, int port, string knownHosts) = RelayBench.StartSshd(options, dir);
            string user = Environment.UserName;
            string key = Path.Combine(dir, "client_cat");
            var modes = new (string Name, string Command, string[] Args)[]
            {
                ("mcp-ssh", options.McpSsh, ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--username", user,
                    "--client-key", key, "--known-hosts", knownHosts, "--no-ssh-config", "--log-level", "error"]),
                ("ssh -T", "ssh", ["-T", "-p", port.ToString(CultureInfo.InvariantCulture), "-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                    "-o", $"UserKnownHostsFile={knownHosts}", "-o", "StrictHostKeyChecking=yes", "-o", "LogLevel=ERROR", "-F", "/dev/null", $"{user}@127.0.0.1"]),
            };

            var idle = modes.ToDictionary(m => m.Name, _ => new List<ProcessMemory>());
            var peaks = modes.ToDictionary(m => m.Name, _ => MessageMiB.ToDictionary(s => s, _ => new List<double>()));
            for (int round = 0; round < options.Rounds; round++)
            {
                foreach (var mode in round % 2 == 0 ? modes : modes.Reverse())
                {
                    idle[mode.Name].Add(IdleConnected(mode.Command, mode.Args));
                    foreach (int mib in MessageMiB)
                    {
                        peaks[mode.Name][mib].Add(PeakForMessage(mode.Command, mode.Args, mib));
                    }

                    Console.Error.WriteLine($"footprint: round {round + 1}/{options.Rounds}: {mode.Name} done");
                }
            }

            var sessions = new JsonObject
            {
                ["ssh -T"] = SessionCost(sshd.Id, modes[1].Command, modes[1].Args).ToJson(),
                ["mcp-ssh serve"] = ServeSessionCost(options, dir).ToJson(),
            };

            var result = new JsonObject
            {
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                ["idle_connected"] = new JsonObject(idle.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)ProcessMemory.Median(kv.Value).ToJson()))),
                ["peak_rss_mb_by_message_mib"] = new JsonObject(peaks.Select(kv => KeyValuePair.Create(kv.Key,
                    (JsonNode?)new JsonObject(kv.Value.Select(p => KeyValuePair.Create(p.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)Math.Round(p.Value.Max(), 1))))))),
                ["serve_session"] = sessions,
            };
            result["ratios_to_ssh"] = new JsonObject
            {
                ["idle_rss"] = RatioValue(result["idle_connected"]!["mcp-ssh"]!["rss_mb"], result["idle_connected"]!["ssh -T"]!["rss_mb"]),
                ["peak_rss_1mib"] = RatioValue(result["peak_rss_mb_by_message_mib"]!["mcp-ssh"]!["1"], result["peak_rss_mb_by_message_mib"]!["ssh -T"]!["1"]),
                ["peak_rss_4mib"] = RatioValue(result["peak_rss_mb_by_message_mib"]!["mcp-ssh"]!["4"], result["peak_rss_mb_by_message_mib"]!["ssh -T"]!["4"]),
                ["peak_rss_16mib"] = RatioValue(result["peak_rss_mb_by_message_mib"]!["mcp-ssh"]!["16"], result["peak_rss_mb_by_message_mib"]!["ssh -T"]!["16"]),
                ["serve_session_rss"] = RatioValue(sessions["mcp-ssh serve"]!["rss_mb"], sessions["ssh -T"]!["rss_mb"]),
                ["serve_session_pss"] = RatioValue(sessions["mcp-ssh serve"]!["pss_mb"], sessions["ssh -T"]!["pss_mb"]),
            };
            WriteMarkdown(result, markdown);
            return result;
        }
        finally
        {
            RelayBench.StopSshd(sshd, dir);
        }
    }

    /// <summary>Connected (initialize answered by `cat`) and then left alone until resident memory stops moving.</summary>
    private static ProcessMemory IdleConnected(string command, string[] args)
    {
        using var peer = new LinePeer(command, args);
        Echo(peer, 64);
        return ProcessMemory.Settled(peer.Pid);
    }

    /// <summary>Peak resident memory (VmHWM) of a fresh process that carries one message of <paramref name="mib"/> MiB each way.</summary>
    private static double PeakForMessage(string command, string[] args, int mib)
    {
        using var peer = new LinePeer(command, args);
        Echo(peer, 64);
        Echo(peer, mib * 1024 * 1024);
        return peer.PeakRssMb();
    }

    /// <summary>One `ssh -T` session: the processes sshd starts for it, without the far end (`cat`).</summary>
    private static ProcessMemory SessionCost(int listenerPid, string command, string[] args)
    {
        HashSet<int> before = ProcessTree.Descendants(listenerPid);
        using var peer = new LinePeer(command, args);
        Echo(peer, 64);
        return ProcessMemory.SettledSum(() => ProcessTree.Descendants(listenerPid).Where(p => !before.Contains(p) && ProcessTree.Name(p) != "cat"));
    }

    /// <summary>One client session through a real `mcp-ssh serve` (backend `cat`): its sshd processes and the gateway, without `cat`.</summary>
    private static ProcessMemory ServeSessionCost(BenchOptions options, string dir)
    {
        string serveDir = Path.Combine(dir, "serve");
        Directory.CreateDirectory(serveDir);
        File.WriteAllText(Path.Combine(serveDir, "servers.json"), """{"mcpServers":{"cat":{"command":"cat","args":[]}}}""");
        File.Copy(Path.Combine(dir, "client_cat.pub"), Path.Combine(serveDir, "authorized_clients"));
        int port = RelayBench.FreePort();
        var start = new ProcessStartInfo(options.McpSsh) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "serve", "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--key-server-port", RelayBench.FreePort().ToString(CultureInfo.InvariantCulture), "--state-dir", Path.Combine(serveDir, "state"),
            "--server-key", Path.Combine(serveDir, "server_key"), "--servers-config", Path.Combine(serveDir, "servers.json"),
            "--authorized-clients", Path.Combine(serveDir, "authorized_clients"), "--sshd-option", "StrictModes=no" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = serveDir;
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using Process serve = Process.Start(start)!;
        serve.ErrorDataReceived += (_, e) =>
        {
            log.Enqueue(e.Data ?? "");
            if (e.Data?.Contains("Serving ", StringComparison.Ordinal) == true)
            {
                serving.TrySetResult();
            }
        };
        serve.BeginErrorReadLine();
        try
        {
            if (!serving.Task.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new InvalidOperationException("mcp-ssh serve did not start serving within 30 s:\n" + string.Join('\n', log));
            }

            string knownHosts = Path.Combine(serveDir, "known_hosts");
            string hostKey = File.ReadAllText(Path.Combine(serveDir, "server_key.pub")).Trim();
            File.WriteAllText(knownHosts, $"[127.0.0.1]:{port} {string.Join(' ', hostKey.Split(' ')[..2])}\n");
            string[] client = ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--username", Environment.UserName,
                "--client-key", Path.Combine(dir, "client_cat"), "--known-hosts", knownHosts, "--no-ssh-config", "--log-level", "error"];
            return SessionCost(serve.Id, options.McpSsh, client);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            serve.WaitForExit();
        }
    }

    /// <summary>Sends a `cat` far end one line of about <paramref name="bytes"/> bytes and reads it back.</summary>
    private static void Echo(LinePeer peer, int bytes)
    {
        byte[] line = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\""
            + new string('x', Math.Max(0, bytes - 100)) + "\"}}}\n");
        Task write = Task.Run(() => peer.Write(line));
        peer.ReadLine();
        write.GetAwaiter().GetResult();
    }

    private static string Ratio(JsonNode? ours, JsonNode? theirs) =>
        RatioValue(ours, theirs) is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "n/a";

    /// <summary>ours / theirs; the values are doubles (MB) or ints (threads, processes).</summary>
    private static double? RatioValue(JsonNode? ours, JsonNode? theirs)
    {
        static double? Value(JsonNode? node) => node is not JsonValue v ? null : v.TryGetValue(out double d) ? d : v.TryGetValue(out int i) ? i : null;
        return Value(ours) is { } a && Value(theirs) is { } b && b != 0 ? Math.Round(a / b, 3) : null;
    }

    private static void WriteMarkdown(JsonObject result, TextWriter md)
    {
        static string Mb(JsonNode? v) => v is null ? "n/a" : v.GetValue<double>().ToString("0.0", CultureInfo.InvariantCulture);
        JsonNode idle = result["idle_connected"]!;
        md.WriteLine("Idle and connected (far end `cat`; median of the rounds, after resident memory stopped moving):");
        md.WriteLine();
        md.WriteLine("| mode | RSS MB | anonymous MB | file-backed MB | threads |");
        md.WriteLine("|---|---:|---:|---:|---:|");
        foreach (string mode in new[] { "mcp-ssh", "ssh -T" })
        {
            JsonNode row = idle[mode]!;
            md.WriteLine($"| {mode} | {Mb(row["rss_mb"])} | {Mb(row["anon_mb"])} | {Mb(row["file_mb"])} | {row["threads"]} |");
        }

        md.WriteLine("| ratio | " + string.Join(" | ", new[] { "rss_mb", "anon_mb", "file_mb", "threads" }.Select(k => Ratio(idle["mcp-ssh"]![k], idle["ssh -T"]![k]))) + " |");
        double ours = idle["mcp-ssh"]!["rss_mb"]!.GetValue<double>();
        md.WriteLine();
        md.WriteLine($"Idle connected RSS: {ours.ToString("0.0", CultureInfo.InvariantCulture)} MB (target ≤ 12 MB: {(ours <= 12 ? "met" : "missed")}).");
        md.WriteLine();
        md.WriteLine("Peak RSS (VmHWM, MB) of a fresh process carrying one message each way through `cat`:");
        md.WriteLine();
        md.WriteLine("| mode | " + string.Join(" | ", MessageMiB.Select(m => $"{m} MiB")) + " |");
        md.WriteLine("|---|" + string.Concat(MessageMiB.Select(_ => "---:|")));
        JsonNode peaks = result["peak_rss_mb_by_message_mib"]!;
        foreach (string mode in new[] { "mcp-ssh", "ssh -T" })
        {
            md.WriteLine($"| {mode} | " + string.Join(" | ", MessageMiB.Select(m => Mb(peaks[mode]![m.ToString(CultureInfo.InvariantCulture)]))) + " |");
        }

        md.WriteLine("| ratio | " + string.Join(" | ", MessageMiB.Select(m =>
        {
            string k = m.ToString(CultureInfo.InvariantCulture);
            double ratio = peaks["mcp-ssh"]![k]!.GetValue<double>() / peaks["ssh -T"]![k]!.GetValue<double>();
            return ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";
        })) + " |");
        md.WriteLine();
        md.WriteLine("One session on the server (processes started for it, far end excluded; RSS counts shared pages in each process, PSS shares them out):");
        md.WriteLine();
        md.WriteLine("| session | processes | RSS MB | PSS MB |");
        md.WriteLine("|---|---:|---:|---:|");
        foreach ((string name, JsonNode? row) in result["serve_session"]!.AsObject())
        {
            md.WriteLine($"| {name} | {row!["processes"]} | {Mb(row["rss_mb"])} | {Mb(row["pss_mb"])} |");
        }

        JsonNode serve = result["serve_session"]!;
        md.WriteLine($"| ratio (serve / ssh -T) | {Ratio(serve["mcp-ssh serve"]!["processes"], serve["ssh -T"]!["processes"])} | "
            + $"{Ratio(serve["mcp-ssh serve"]!["rss_mb"], serve["ssh -T"]!["rss_mb"])} | {Ratio(serve["mcp-ssh serve"]!["pss_mb"], serve["ssh -T"]!["pss_mb"])} |");

        md.WriteLine();
    }
}
