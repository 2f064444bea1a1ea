using System.Net.Sockets;
using McpSsh.Diagnostics;
using McpSsh.Gateway;
using Microsoft.Extensions.Logging;

namespace McpSsh.Server.Sshd;

/// <summary>
/// Where the sessions' logs go: a Unix socket in the state directory (0600, in a 0700 directory) that each
/// session's gateway (`gateway --session-log SOCKET`) writes its log lines to, instead of its stderr, which
/// sshd would hand to the SSH client. Each line is logged again in serve's log as "[session N] ...", at the
/// level the gateway gave it; lines are bounded (a long one is cut and marked).
/// </summary>
public sealed class SessionLogListener : IAsyncDisposable
{
    /// <summary>sun_path holds 108 bytes on Linux, 104 on macOS (with the terminating NUL).</summary>
    public const int MaxPathBytes = 100;

    private readonly Socket _listener;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _sessions;

    private SessionLogListener(string path, Socket listener, ILogger logger)
    {
        Path = path;
        _listener = listener;
        _logger = logger;
        _accepting = AcceptAsync();
    }

    public string Path { get; }

    /// <returns>Null (after a warning) when the path is too long for a Unix socket.</returns>
    public static SessionLogListener? Start(string path, ILogger logger)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            logger.LogWarning("The session log socket {Path} is longer than a Unix socket path may be; session logs go to the SSH clients' stderr. Choose a shorter --state-dir", path);
            return null;
        }

        File.Delete(path);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen(128);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new ServeException($"cannot listen on the session log socket {path}: {ex.Message}");
        }

        return new SessionLogListener(path, listener, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        File.Delete(Path);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket session;
            try
            {
                session = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            int number = Interlocked.Increment(ref _sessions);
            _ = Task.Run(() => RelayAsync(session, number));
        }
    }

    private async Task RelayAsync(Socket session, int number)
    {
        var lines = new BoundedLineSplitter(line => Relay(number, line), 16 * 1024);
        byte[] buffer = new byte[16 * 1024];
        using (session)
        {
            try
            {
                int read;
                while ((read = await session.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false)) > 0)
                {
                    lines.Feed(buffer.AsSpan(0, read));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // serve stops, or the session's gateway is gone.
            }
        }

        lines.Complete();
    }

    /// <summary>A gateway line is "TIMESTAMP LEVEL category: message"; anything else (an exception's lines) is information.</summary>
    private void Relay(int session, string line)
    {
        string[] parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 3 && parts[0].EndsWith('Z') && LogLevelNames.TryParse(parts[1], out LogLevel level))
        {
            _logger.LogSessionLine(level, session, parts[2]);
        }
        else
        {
            _logger.LogSessionLine(LogLevel.Information, session, line);
        }
    }
}
