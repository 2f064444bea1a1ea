using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh.Proxy;

/// <summary>
/// ProxyCommand: a local command whose stdin and stdout are the connection to the SSH server (as ssh runs it:
/// <c>$SHELL -c "exec CMD"</c>, or <c>cmd /c</c> on Windows), its stderr logged. SSH.NET reaches it through the
/// password-checked <see cref="Socks5Gate"/>.
/// </summary>
internal sealed class ProxyCommandTunnel : GatedTunnel
{
    private readonly Process _process;
    private string? _said;

    public ProxyCommandTunnel(string command, ILogger logger)
        : base($"ProxyCommand {command}")
    {
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
                Volatile.Write(ref _said, $"ProxyCommand said: {line}");
                logger.LogWarning("ProxyCommand: {Line}", line);
            }
        };
        _process.BeginErrorReadLine();
        Start();
    }

    public override ConnectFailure SilenceFailure => ConnectFailure.Timeout;

    public override string SilenceHint => "the command did not reach an SSH server (run it by hand to see what it does)";

    /// <summary>The command's last stderr line says most; else why the relay ended; else its exit status.</summary>
    public override string? Failure =>
        Volatile.Read(ref _said) ?? base.Failure ?? (_process.HasExited ? $"ProxyCommand exited with status {_process.ExitCode}" : null);

    public int Pid => _process.Id;

    protected override Task<Stream> OpenFarEndAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new DuplexStream(_process.StandardOutput.BaseStream, _process.StandardInput.BaseStream));

    /// <summary>The command and whatever it started (ssh -W, a shell's children): it carries only bytes, nothing to drain.</summary>
    protected override async ValueTask CloseFarEndAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    protected override void Release() => _process.Dispose();
}
