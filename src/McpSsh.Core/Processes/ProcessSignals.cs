using System.Globalization;
using System.Runtime.InteropServices;

namespace McpSsh.Processes;

/// <summary>
/// What <see cref="System.Diagnostics.Process"/> lacks for a polite shutdown: SIGTERM (Process.Kill is SIGKILL)
/// and the list of a process's descendants, taken before the parent exits and its children are re-parented.
/// </summary>
public static partial class ProcessSignals
{
    private const int SIGTERM = 15;
    private const int SIGKILL = 9;

    public static void Terminate(int pid) => Send(pid, SIGTERM);

    public static void ForceKill(int pid) => Send(pid, SIGKILL);

    public static bool IsAlive(int pid) => !OperatingSystem.IsWindows() && kill(pid, 0) == 0;

    /// <summary>Every descendant of <paramref name="root"/> now alive (Linux /proc); empty elsewhere.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var parents = new Dictionary<int, int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                // The process went away while we looked.
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out int parent))
        {
            foreach ((int pid, int ppid) in parents)
            {
                if (ppid == parent)
                {
                    result.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return result;
    }

    private static void Send(int pid, int signal)
    {
        if (!OperatingSystem.IsWindows())
        {
            _ = kill(pid, signal);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
