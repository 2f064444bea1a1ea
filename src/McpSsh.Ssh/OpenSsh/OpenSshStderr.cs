using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh.OpenSsh;

/// <summary>
/// Reads ssh's stderr on a thread of its own. Until the session is up its lines are kept (they explain a failure)
/// and watched for the debug1 lines that say the session is authenticated; afterwards ssh's debug lines go to
/// Trace and everything else (the remote command's stderr, ssh's own errors) is logged as remote stderr.
/// </summary>
internal sealed class OpenSshStderr
{
    private const int KeptLines = 200;

    // "Authenticated to HOST" (a new connection), "Entering interactive session" (the session), and the line a
    // ControlMaster client prints when it reuses an existing connection (it never authenticates itself).
    private static readonly string[] s_readyMarkers = ["Authenticated to ", "Entering interactive session", "mux_client_request_session: master session id"];

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _lines = new();
    private readonly ILogger _logger;

    public OpenSshStderr(StreamReader stderr, ILogger logger)
    {
        _logger = logger;
        var thread = new Thread(() => Read(stderr)) { IsBackground = true, Name = "mcp-ssh ssh stderr" };
        thread.Start();
    }

    public Task Ready => _ready.Task;

    /// <summary>Completes when stderr ends (ssh exited or closed it).</summary>
    public Task Ended => _ended.Task;

    public string? LastMessage
    {
        get
        {
            lock (_lines)
            {
                return _lines.LastOrDefault(l => !l.StartsWith("debug", StringComparison.Ordinal));
            }
        }
    }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    private void Read(StreamReader stderr)
    {
        try
        {
            while (stderr.ReadLine() is { } line)
            {
                Keep(line);
                if (line.StartsWith("debug", StringComparison.Ordinal))
                {
                    _logger.LogTrace("ssh: {Line}", line);
                    if (!_ready.Task.IsCompleted && s_readyMarkers.Any(m => line.Contains(m, StringComparison.Ordinal)))
                    {
                        _ready.TrySetResult();
                    }
                }
                else if (line.Contains("Authenticated to ", StringComparison.Ordinal))
                {
                    _logger.LogDebug("ssh: {Line}", line);
                    _ready.TrySetResult();
                }
                else if (_ready.Task.IsCompleted)
                {
                    _logger.LogRemoteStderr(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // ssh is gone; its exit status says why.
        }
        finally
        {
            _ended.TrySetResult();
        }
    }

    private void Keep(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }
        }
    }
}
