using System.Diagnostics;
using McpSsh.Processes;
using Microsoft.Extensions.Logging;

namespace McpSsh.Server.Sshd;

/// <summary>
/// Runs the private sshd in the foreground (-D, logs on stderr with -e), relays its log lines, and stops it
/// with every session it started: SIGTERM to the listener and the per-connection processes (each session's
/// gateway then sees EOF and stops its servers), then SIGKILL for whatever is left after a grace period.
/// </summary>
public sealed class SshdSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(6);

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _recentLines = [];

    private SshdSupervisor(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
    }

    public int Pid => _process.Id;

    /// <summary>Completes with sshd's exit status when it ends on its own or is stopped.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Starts sshd and returns once it listens; throws with sshd's own words if it exits instead.</summary>
    public static async Task<SshdSupervisor> StartAsync(string sshd, string configPath, ILogger logger, CancellationToken stop)
    {
        if (Environment.UserName == "root" && !Directory.Exists("/run/sshd") && OperatingSystem.IsLinux())
        {
            Directory.CreateDirectory("/run/sshd"); // privilege separation directory; sshd refuses to start as root without it
        }

        var start = new ProcessStartInfo(sshd) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (string arg in new[] { "-D", "-e", "-f", configPath })
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ServeException($"cannot start {sshd}: {ex.Message}. {SshdLocator.InstallHint}");
        }

        var supervisor = new SshdSupervisor(process, logger);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => supervisor._exited.TrySetResult(process.ExitCode);
        process.ErrorDataReceived += (_, e) => supervisor.OnLine(e.Data);
        process.OutputDataReceived += (_, e) => supervisor.OnLine(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        if (process.HasExited)
        {
            supervisor._exited.TrySetResult(process.ExitCode);
        }

        logger.LogSshdStarted(process.Id, sshd, configPath);
        Task first = await Task.WhenAny(supervisor._listening.Task, supervisor._exited.Task, Task.Delay(s_startTimeout, stop));
        if (first == supervisor._listening.Task)
        {
            return supervisor;
        }

        await supervisor.StopAsync();
        string said = supervisor.RecentLines();
        throw new ServeException(first == supervisor._exited.Task
            ? $"sshd exited with status {supervisor._exited.Task.Result} at start: {said}"
            : $"sshd did not report listening within {s_startTimeout.TotalSeconds:0} s: {said}");
    }

    /// <summary>SIGTERM sshd and its sessions, wait, SIGKILL whatever is left. Safe to call twice.</summary>
    public async Task StopAsync()
    {
        List<int> tree = [.. ProcessSignals.Descendants(Pid)];
        if (!_exited.Task.IsCompleted)
        {
            ProcessSignals.Terminate(Pid);
        }

        foreach (int pid in tree)
        {
            ProcessSignals.Terminate(pid);
        }

        using var grace = new CancellationTokenSource(s_stopGrace);
        while (!grace.IsCancellationRequested && (!_exited.Task.IsCompleted || tree.Any(ProcessSignals.IsAlive)))
        {
            await Task.WhenAny(_exited.Task, Task.Delay(50, CancellationToken.None)); // polling /proc: there is no wait for non-children
        }

        foreach (int pid in tree.Where(ProcessSignals.IsAlive).SelectMany(p => ProcessSignals.Descendants(p).Prepend(p)).ToList())
        {
            _logger.LogSessionKilled(pid);
            ProcessSignals.ForceKill(pid);
        }

        if (!_exited.Task.IsCompleted)
        {
            ProcessSignals.ForceKill(Pid);
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_recentLines)
        {
            _recentLines.Add(line);
            if (_recentLines.Count > 20)
            {
                _recentLines.RemoveAt(0);
            }
        }

        // sshd -e prefixes only its problems; everything else is information (hidden below --log-level INFO).
        LogLevel level = line.StartsWith("fatal:", StringComparison.Ordinal) ? LogLevel.Error
            : line.StartsWith("error:", StringComparison.Ordinal) ? LogLevel.Warning
            : LogLevel.Information;
        _logger.LogSshdLine(level, line);
        if (line.Contains("Server listening on", StringComparison.Ordinal))
        {
            _listening.TrySetResult(true);
        }
    }

    private string RecentLines()
    {
        lock (_recentLines)
        {
            return _recentLines.Count == 0 ? "(it printed nothing)" : string.Join(" | ", _recentLines);
        }
    }
}
