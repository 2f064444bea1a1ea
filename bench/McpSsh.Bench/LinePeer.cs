using System.Diagnostics;
using System.Text;

namespace McpSsh.Bench;

/// <summary>A process that answers each line with one line (a stdio MCP server, or `cat` echoing it), over pipes.</summary>
internal sealed class LinePeer : IDisposable
{
    private readonly Process _process;
    private readonly Stream _stdin;
    private readonly StreamReader _stdout;

    public LinePeer(string command, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _stdin = _process.StandardInput.BaseStream;
        _stdout = new StreamReader(_process.StandardOutput.BaseStream, new UTF8Encoding(false), false, 1 << 20);
    }

    public int Pid => _process.Id;

    public void Write(byte[] line)
    {
        _stdin.Write(line);
        _stdin.Flush();
    }

    public string ReadLine() => _stdout.ReadLine() ?? throw new InvalidOperationException("the peer closed its output");

    /// <summary>CPU time the process has used so far, user plus system (utime + stime of /proc/PID/stat, read by Process).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Peak resident set (VmHWM) in MB, from /proc.</summary>
    public double PeakRssMb()
    {
        foreach (string line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
    }
}
