using System.ComponentModel;
using System.Diagnostics;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh.OpenSsh;

/// <summary>
/// Starts the system ssh and waits until it says the session is authenticated, so that a refused host key, key
/// or port fails the connect with mcp-ssh's exit codes exactly as the SSH.NET transport does.
/// </summary>
public static class OpenSshConnector
{
    public static async Task<IRemoteChannel> ConnectAsync(OpenSshOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in OpenSshCommandLine.Build(options))
        {
            start.ArgumentList.Add(arg);
        }

        logger.LogDebug("Starting {Command} {Arguments}", options.Command, string.Join(' ', start.ArgumentList));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("no process was started");
        }
        catch (Win32Exception ex)
        {
            throw new SshConnectException(ConnectFailure.Protocol,
                $"cannot run --ssh-command {options.Command}: {ex.Message}. Install the OpenSSH client or give the full path of ssh", ex);
        }

        var stderr = new OpenSshStderr(process.StandardError, logger);
        var stopwatch = Stopwatch.StartNew();
        // ssh bounds each step with ConnectTimeout; this bound only catches an ssh that neither connects nor fails.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        TimeSpan limit = options.ConnectTimeout * 2 + TimeSpan.FromSeconds(5);
        bound.CancelAfter(limit);
        Task exited = process.WaitForExitAsync(CancellationToken.None);
        try
        {
            Task first = await Task.WhenAny(stderr.Ready, exited).WaitAsync(bound.Token);
            if (first == exited)
            {
                await stderr.Ended.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
                throw OpenSshErrors.Explain(stderr.Lines, process.ExitCode, options);
            }
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new SshConnectException(ConnectFailure.Timeout,
                $"ssh ({options.Command}) to {options.Endpoint} neither connected nor failed within {limit.TotalSeconds:0} s; it last said: {stderr.LastMessage ?? "nothing"}");
        }
        catch (SshConnectException)
        {
            process.Dispose();
            throw;
        }

        logger.LogInformation("Connected to {Endpoint} through {Command} (pid {Pid}) in {Ms} ms, {Channel}",
            options.Endpoint, options.Command, process.Id, stopwatch.ElapsedMilliseconds, options.RemoteCommand is null ? "shell channel (no pty)" : "exec channel");
        return new OpenSshChannel(process, stderr);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        process.Dispose();
    }
}
