using System.Globalization;
using System.Text.Json.Nodes;

namespace McpSsh.Bench;

/// <summary>Resident memory of one process or a set of processes, read from /proc (Linux only, as the benchmark is).</summary>
internal sealed record ProcessMemory(double RssMb, double AnonMb, double FileMb, double PssMb, int Threads, int Processes)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(10);

    public static ProcessMemory Read(IEnumerable<int> pids)
    {
        double rss = 0, anon = 0, file = 0, pss = 0;
        int threads = 0, count = 0;
        foreach (int pid in pids)
        {
            try
            {
                Dictionary<string, string> status = Fields($"/proc/{pid}/status");
                rss += Kb(status, "VmRSS");
                anon += Kb(status, "RssAnon");
                file += Kb(status, "RssFile") + Kb(status, "RssShmem");
                threads += int.Parse(status["Threads"], CultureInfo.InvariantCulture);
                pss += Kb(Fields($"/proc/{pid}/smaps_rollup"), "Pss");
                count++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or KeyNotFoundException)
            {
                // The process ended between listing and reading: it no longer costs anything.
            }
        }

        return new ProcessMemory(rss / 1024, anon / 1024, file / 1024, pss / 1024, threads, count);
    }

    /// <summary>Reads until the resident total moves less than 1% across a second (at most 10 s): an idle process after start-up.</summary>
    public static ProcessMemory SettledSum(Func<IEnumerable<int>> pids)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        ProcessMemory last = Read(pids());
        var stableSince = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < Longest)
        {
            Thread.Sleep(Poll);
            ProcessMemory now = Read(pids());
            if (Math.Abs(now.RssMb - last.RssMb) > last.RssMb / 100)
            {
                stableSince.Restart();
            }
            else if (stableSince.Elapsed >= TimeSpan.FromSeconds(1))
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    public static ProcessMemory Settled(int pid) => SettledSum(() => [pid]);

    public static ProcessMemory Median(List<ProcessMemory> samples) => samples.OrderBy(s => s.RssMb).ElementAt(samples.Count / 2);

    public JsonObject ToJson() => new()
    {
        ["rss_mb"] = Math.Round(RssMb, 1),
        ["anon_mb"] = Math.Round(AnonMb, 1),
        ["file_mb"] = Math.Round(FileMb, 1),
        ["pss_mb"] = Math.Round(PssMb, 1),
        ["threads"] = Threads,
        ["processes"] = Processes,
    };

    private static Dictionary<string, string> Fields(string path) =>
        File.ReadLines(path).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1].Trim());

    private static double Kb(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out string? value) ? double.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture) : 0;
}

/// <summary>The process tree from /proc: who descends from whom.</summary>
internal static class ProcessTree
{
    public static HashSet<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || Parent(pid) is not { } parent)
            {
                continue;
            }

            if (!children.TryGetValue(parent, out List<int>? list))
            {
                children[parent] = list = [];
            }

            list.Add(pid);
        }

        var found = new HashSet<int>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out int pid))
        {
            foreach (int child in children.GetValueOrDefault(pid) ?? [])
            {
                if (found.Add(child))
                {
                    pending.Push(child);
                }
            }
        }

        return found;
    }

    public static string? Name(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? Parent(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces or parentheses, so parse after the last ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(rest[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
