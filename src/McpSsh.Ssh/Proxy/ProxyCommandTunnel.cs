using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh.Proxy;

/// <summary>
/// ProxyCommand: a local command whose stdin and stdout are the connection to the SSH server (as ssh runs it:
/// <c>$SHELL -c "exec CMD"</c>, or <c>cmd /c</c> on Windows), its stderr logged. SSH.NET reaches it through the
/// password-checked <see cref="Socks5Gate"/>.
/// </summary>
internal sealed class ProxyCommandTunnel : ITunnel
{
    private readonly Process _process;
    private readonly Task _relay;
    private readonly CancellationTokenSource _stop = new();
    private string? _failure;
    private bool _answered;
    private int _disposed;

    public ProxyCommandTunnel(string command, ILogger logger)
    {
        Description = $"ProxyCommand {command}";
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/c", command } }
            : new ProcessStartInfo(Environment.GetEnvironmentVariable("SHELL") is { Length: > 0 } shell ? shell : "/bin/sh") { ArgumentList = { "-c", "exec " + command } };
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start ProxyCommand {command}");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _failure = $"ProxyCommand said: {line}";
                logger.LogWarning("ProxyCommand: {Line}", line);
            }
        };
        _process.BeginErrorReadLine();
        Gate = new Socks5Gate();
        _relay = RunAsync();
    }

    public Socks5Gate Gate { get; }

    public string Description { get; }

    public ConnectFailure SilenceFailure => ConnectFailure.Timeout;

    public string SilenceHint => "the command did not reach an SSH server (run it by hand to see what it does)";

    public bool Answered => Volatile.Read(ref _answered);

    public string? Failure => _failure ?? (_process.HasExited ? $"ProxyCommand exited with status {_process.ExitCode}" : null);

    public int Pid => _process.Id;

    private async Task RunAsync()
    {
        try
        {
            using Socket inbound = await Gate.AcceptAsync(_stop.Token);
            var process = new DuplexStream(_process.StandardOutput.BaseStream, _process.StandardInput.BaseStream);
            await Relay.Run(new NetworkStream(inbound, ownsSocket: false), process, () => Volatile.Write(ref _answered, true));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _failure ??= $"the {Description} tunnel failed: {ex.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        Gate.Dispose();
        // The command and whatever it started (ssh -W, a shell's children): it carries only bytes, nothing to drain.
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        await _relay.ContinueWith(static _ => { }, TaskScheduler.Default);
        _process.Dispose();
        _stop.Dispose();
    }
}
