using System.Buffers;
using System.Diagnostics;
using McpSsh.JsonRpc;
using McpSsh.Processes;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Gateway;

/// <summary>
/// One stdio MCP server started by the gateway. Its stdout is read as frames, its stderr is logged line by
/// line under its name, and its lifecycle is written down: close stdin, wait, SIGTERM, wait, SIGKILL the tree.
/// It doubles as an <see cref="IRemoteChannel"/> so that a single backend is served by the plain relay.
/// </summary>
public sealed class BackendProcess : IRemoteChannel
{
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_termTimeout = TimeSpan.FromSeconds(1);

    private readonly Process _process;
    private readonly StreamFrameSink _stdin;
    private readonly ILogger _logger;
    private int _delivering;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BackendProcess(ServerConfig config, Process process, ILogger logger)
    {
        Config = config;
        _process = process;
        _logger = logger;
        _stdin = new StreamFrameSink(process.StandardInput.BaseStream);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => _exited.TrySetResult(SafeExitCode());
        if (process.HasExited)
        {
            _exited.TrySetResult(SafeExitCode());
        }

        // Not BeginErrorReadLine: its lines have no length limit, and a backend writing 200 MB without a
        // newline would make the gateway hold all of it.
        _ = Task.Run(() => PumpStderrAsync(process.StandardError.BaseStream));
    }

    public ServerConfig Config { get; }

    public string Name => Config.Name;

    public int Pid => _process.Id;

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    public bool CanHalfClose => true;

    public string CloseReason => _exited.Task.IsCompleted ? $"backend {Name} exited with status {_exited.Task.Result}" : $"backend {Name} closed its stdout";

    public static BackendProcess Start(ServerConfig config, ILogger logger)
    {
        var start = new ProcessStartInfo(config.Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = config.Cwd ?? Environment.CurrentDirectory,
        };
        foreach (string arg in config.Args)
        {
            start.ArgumentList.Add(arg);
        }

        // Under serve, sshd sets SSH_ORIGINAL_COMMAND to whatever the client asked to run; it is the client's
        // input, not the backend's business.
        start.Environment.Remove("SSH_ORIGINAL_COMMAND");
        foreach ((string key, string value) in config.Env)
        {
            start.Environment[key] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new GatewayConfigException($"cannot start backend {config.Name} ({config.Command}): {ex.Message}");
        }

        logger.LogBackendStarted(config.Name, process.Id, config.Command);
        return new BackendProcess(config, process, logger);
    }

    /// <summary>Reads the backend's stdout on a thread of its own from now on (once); it ends when the process closes it.</summary>
    public Task<bool> DeliverOutputAsync(IFrameReceiver receiver)
    {
        if (Interlocked.Exchange(ref _delivering, 1) != 0)
        {
            throw new InvalidOperationException($"backend {Name}'s output is delivered once");
        }

        return RawChannelOutput.ReadOnOwnThread(_process.StandardOutput.BaseStream, $"mcp-ssh {Name} reader", receiver, static _ => { });
    }

    public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info) => _stdin.Write(frame);

    public bool CanSendParts => true;

    public void SendPart(ReadOnlySequence<byte> part) => _stdin.WritePart(part);

    public void EndPart(ReadOnlySequence<byte> last, in FrameInfo info) => _stdin.EndLine(last);

    public void AbandonPart() => _stdin.AbandonLine();

    public void CompleteInput()
    {
        try
        {
            _stdin.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
    }

    /// <summary>Close stdin, wait up to 2 s, SIGTERM, wait 1 s, then SIGKILL it and every descendant seen before.</summary>
    public async Task StopAsync()
    {
        IReadOnlyList<int> tree = _exited.Task.IsCompleted ? [] : ProcessSignals.Descendants(Pid);
        CompleteInput();
        if (!await ExitsWithinAsync(ShutdownTimeout))
        {
            ProcessSignals.Terminate(Pid);
            if (!await ExitsWithinAsync(s_termTimeout))
            {
                _logger.LogBackendKilled(Name, Pid);
                ProcessSignals.ForceKill(Pid);
            }
        }

        // Children of a wrapper (npx -> node) outlive it when it exits first: no orphans, ever.
        foreach (int pid in tree)
        {
            ProcessSignals.ForceKill(pid);
        }

        if (!await ExitsWithinAsync(TimeSpan.FromSeconds(5)))
        {
            _logger.LogBackendKilled(Name, Pid); // SIGKILL not yet reaped (a process stuck in the kernel); nothing more to do
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        try
        {
            await _exited.Task.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task PumpStderrAsync(Stream stderr)
    {
        var lines = new BoundedLineSplitter(line => _logger.LogBackendStderr(Config.Name, line));
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stderr.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lines.Feed(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process.
        }

        lines.Complete();
    }

    private int SafeExitCode()
    {
        try
        {
            return _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
