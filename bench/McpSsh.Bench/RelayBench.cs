using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace McpSsh.Bench;

/// <summary>
/// mcp-ssh against OpenSSH's own client (`ssh -T`, same key, same host key, same sshd) and against no SSH at all,
/// for two far ends: `cat` (the relay's own cost) and the C# SDK test server (a real MCP server). Modes are
/// interleaved; a throwaway run goes first. Numbers are reported, never asserted.
/// </summary>
internal static class RelayBench
{
    private const int ColdRuns = 20;
    private const int Warmup = 300;
    private const int SequentialCalls = 2000;
    private const int ThroughputCalls = 10;
    private const int Concurrent = 200;
    private const int BigMessage = 4 * 1024 * 1024;

    private sealed record Mode(string Name, Func<string, (string Command, string[] Args)> Start);

    public static JsonObject Run(BenchOptions options, TextWriter markdown)
    {
        string dir = Directory.CreateTempSubdirectory("mcp-ssh-bench-sshd-").FullName;
        Process? sshd = null;
        try
        {
            (sshd, int port, string knownHosts) = StartSshd(options, dir);
            string user = Environment.UserName;
            string Key(string farEnd) => Path.Combine(dir, $"client_{farEnd}");
            var modes = new[]
            {
                new Mode("mcp-ssh", farEnd => (options.McpSsh, ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--username", user,
                    "--client-key", Key(farEnd), "--known-hosts", knownHosts, "--log-level", "error"])),
                new Mode("ssh -T", farEnd => ("ssh", ["-T", "-p", port.ToString(CultureInfo.InvariantCulture), "-i", Key(farEnd), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                    "-o", $"UserKnownHostsFile={knownHosts}", "-o", "StrictHostKeyChecking=yes", "-o", "LogLevel=ERROR", "-F", "/dev/null", $"{user}@127.0.0.1"])),
                new Mode("direct (no SSH)", farEnd => farEnd == "cat" ? ("cat", []) : (options.Dotnet, [options.TestServerDll])),
            };

            var result = new JsonObject
            {
                ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
                ["binary_bytes"] = new FileInfo(options.McpSsh).Length,
            };
            foreach (string farEnd in options.FarEnds)
            {
                result[farEnd] = RunFarEnd(modes, farEnd, options.Rounds);
            }

            RelayReport.Write(result, markdown);
            return result;
        }
        finally
        {
            StopSshd(sshd, dir);
        }
    }

    private static JsonObject RunFarEnd(Mode[] modes, string farEnd, int rounds)
    {
        var cold = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var latency = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var throughput = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var concurrent = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var rss = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var cpuCalls = modes.ToDictionary(m => m.Name, _ => new List<double>());
        var cpuBig = modes.ToDictionary(m => m.Name, _ => new List<double>());

        // Throwaway first: the first command absorbs the measuring client's own warm-up.
        foreach (Mode mode in modes)
        {
            ColdStart(mode.Start(farEnd));
        }

        for (int i = 0; i < ColdRuns; i++)
        {
            foreach (Mode mode in Rotate(modes, i))
            {
                cold[mode.Name].Add(ColdStart(mode.Start(farEnd)));
            }
        }

        for (int round = 0; round < rounds; round++)
        {
            foreach (Mode mode in Rotate(modes, round))
            {
                (string command, string[] args) = mode.Start(farEnd);
                using var peer = new LinePeer(command, args);
                Call(peer, Initialize(0));
                for (int i = 0; i < Warmup; i++)
                {
                    Call(peer, Echo(i + 1));
                }

                // CPU of the relaying process (mcp-ssh, or the ssh client; direct has none) over the same workloads.
                bool relays = !mode.Name.StartsWith("direct", StringComparison.Ordinal);
                TimeSpan cpuStart = peer.CpuTime;
                for (int i = 0; i < SequentialCalls; i++)
                {
                    byte[] line = Echo(1000 + i);
                    long start = Stopwatch.GetTimestamp();
                    Call(peer, line);
                    latency[mode.Name].Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }

                TimeSpan cpuMid = peer.CpuTime;
                cpuCalls[mode.Name].Add(relays ? (cpuMid - cpuStart).TotalMilliseconds : double.NaN);
                for (int i = 0; i < ThroughputCalls; i++)
                {
                    // 4 MiB each way per call: cat echoes the request; the MCP server gets `measure`, then answers `payload`.
                    long start = Stopwatch.GetTimestamp();
                    if (farEnd == "cat")
                    {
                        Call(peer, Big(10_000 + i, "echo"));
                    }
                    else
                    {
                        Call(peer, Big(10_000 + i, "measure"));
                        Call(peer, Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":" + (20_000 + i) + ",\"method\":\"tools/call\",\"params\":{\"name\":\"payload\",\"arguments\":{\"size\":" + BigMessage + "}}}\n"));
                    }

                    throughput[mode.Name].Add(2.0 * BigMessage / 1024 / 1024 / Stopwatch.GetElapsedTime(start).TotalSeconds);
                }

                cpuBig[mode.Name].Add(relays ? (peer.CpuTime - cpuMid).TotalMilliseconds : double.NaN);
                for (int i = 0; i < 5; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    var batch = new MemoryStream();
                    for (int j = 0; j < Concurrent; j++)
                    {
                        batch.Write(Echo(30_000 + (i * Concurrent) + j));
                    }

                    byte[] all = batch.ToArray();
                    Task write = Task.Run(() => peer.Write(all));
                    for (int j = 0; j < Concurrent; j++)
                    {
                        peer.ReadLine();
                    }

                    write.GetAwaiter().GetResult();

                    concurrent[mode.Name].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }

                rss[mode.Name].Add(mode.Name.StartsWith("direct", StringComparison.Ordinal) ? double.NaN : peer.PeakRssMb());
                Console.Error.WriteLine($"{farEnd}: round {round + 1}/{rounds}: {mode.Name} done");
            }
        }

        var rows = new JsonArray();
        foreach (Mode mode in modes)
        {
            rows.Add(new JsonObject
            {
                ["mode"] = mode.Name,
                ["cold_start_ms"] = Math.Round(Percentile(cold[mode.Name], 50), 1),
                ["latency_p50_us"] = Math.Round(Percentile(latency[mode.Name], 50), 1),
                ["latency_p99_us"] = Math.Round(Percentile(latency[mode.Name], 99), 1),
                ["throughput_mib_s"] = Math.Round(Percentile(throughput[mode.Name], 50), 1),
                ["concurrent_200_ms"] = Math.Round(Percentile(concurrent[mode.Name], 50), 2),
                ["peak_rss_mb"] = rss[mode.Name].All(double.IsNaN) ? null : Math.Round(rss[mode.Name].Max(), 1),
                ["cpu_ms_sequential_calls"] = cpuCalls[mode.Name].All(double.IsNaN) ? null : Math.Round(Percentile(cpuCalls[mode.Name], 50), 1),
                ["cpu_ms_4mib_transfers"] = cpuBig[mode.Name].All(double.IsNaN) ? null : Math.Round(Percentile(cpuBig[mode.Name], 50), 1),
            });
        }

        return new JsonObject
        {
            ["rows"] = rows,
            ["cpu_workload"] = $"{SequentialCalls} sequential calls; {ThroughputCalls} x 4 MiB each way (median of the rounds)",
        };
    }

    /// <summary>Milliseconds from starting the process to the first answer to initialize (connect, auth, channel, far end start).</summary>
    private static double ColdStart((string Command, string[] Args) start)
    {
        long begin = Stopwatch.GetTimestamp();
        using var peer = new LinePeer(start.Command, start.Args);
        Call(peer, Initialize(0));
        return Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
    }

    private static void Call(LinePeer peer, byte[] line)
    {
        if (line.Length < 32 * 1024)
        {
            peer.Write(line);
            peer.ReadLine();
            return;
        }

        // A large line to an echoing far end must be read while it is written, or both pipes fill up.
        Task write = Task.Run(() => peer.Write(line));
        peer.ReadLine();
        write.GetAwaiter().GetResult();
    }

    private static byte[] Initialize(int id) => Encoding.UTF8.GetBytes(
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ""","method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"mcp-ssh-bench","version":"1"}}}""" + "\n");

    private static byte[] Echo(int id) => Encoding.UTF8.GetBytes(
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ""","method":"tools/call","params":{"name":"echo","arguments":{"message":"hello"}}}""" + "\n");

    private static byte[] Big(int id, string tool) => Encoding.UTF8.GetBytes(
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":{\"" + (tool == "measure" ? "data" : "message") + "\":\"" + new string('x', BigMessage) + "\"}}}\n");

    internal static (Process Sshd, int Port, string KnownHosts) StartSshd(BenchOptions options, string dir)
    {
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(dir, "host_key"), "-C", "bench-host");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(dir, "client_cat"), "-C", "bench-cat");
        Run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(dir, "client_mcp"), "-C", "bench-mcp");
        string Pub(string name) => File.ReadAllText(Path.Combine(dir, name + ".pub")).Trim();
        File.WriteAllLines(Path.Combine(dir, "authorized_keys"),
        [
            $"command=\"cat\",restrict {Pub("client_cat")}",
            $"command=\"{options.Dotnet} {options.TestServerDll}\",restrict {Pub("client_mcp")}",
        ]);
        if (Environment.UserName == "root")
        {
            Directory.CreateDirectory("/run/sshd");
        }

        int port = FreePort();
        File.WriteAllText(Path.Combine(dir, "sshd_config"), $"""
            Port {port}
            ListenAddress 127.0.0.1
            HostKey {dir}/host_key
            PidFile {dir}/sshd.pid
            AuthorizedKeysFile {dir}/authorized_keys
            AllowUsers {Environment.UserName}
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            PermitRootLogin prohibit-password
            StrictModes no
            PermitTTY no
            MaxStartups 100
            LogLevel INFO

            """);
        var start = new ProcessStartInfo(options.Sshd) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[] { "-D", "-e", "-f", Path.Combine(dir, "sshd_config") })
        {
            start.ArgumentList.Add(arg);
        }

        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process sshd = Process.Start(start)!;
        sshd.ErrorDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Server listening", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult();
            }
        };
        sshd.BeginErrorReadLine();
        listening.Task.Wait(TimeSpan.FromSeconds(15));
        string knownHosts = Path.Combine(dir, "known_hosts");
        File.WriteAllText(knownHosts, $"[127.0.0.1]:{port} {string.Join(' ', Pub("host_key").Split(' ')[..2])}\n");
        return (sshd, port, knownHosts);
    }

    /// <summary>Stops the benchmark's sshd (and every session below it) and removes its directory.</summary>
    internal static void StopSshd(Process? sshd, string dir)
    {
        if (sshd is { HasExited: false })
        {
            sshd.Kill(entireProcessTree: true);
            sshd.WaitForExit();
        }

        Directory.Delete(dir, recursive: true);
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    internal static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {process.StandardError.ReadToEnd()}");
        }
    }

    private static IEnumerable<T> Rotate<T>(T[] items, int by) => items.Skip(by % items.Length).Concat(items.Take(by % items.Length));

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Where(s => !double.IsNaN(s)).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
