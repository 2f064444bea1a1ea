namespace McpSsh.Ssh.Keys;

/// <summary>
/// An exclusive lock across processes on a sibling lock file (<c>known_hosts.lock</c>): opened with
/// <see cref="FileShare.None"/>, which .NET takes as <c>flock(LOCK_EX)</c> on Unix (what flock(1) uses too) and as a
/// sharing lock on Windows. The lock file itself is left in place: deleting it would let two processes lock two
/// different files of the same name.
/// </summary>
public sealed class FileLock : IDisposable
{
    private static readonly TimeSpan s_firstRetry = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_maxRetry = TimeSpan.FromMilliseconds(100);

    private readonly FileStream _stream;

    private FileLock(FileStream stream) => _stream = stream;

    /// <summary>Takes the lock, retrying while another holder has it, until <paramref name="timeout"/> has passed.</summary>
    /// <exception cref="IOException">Still held by another after <paramref name="timeout"/>; the message names the lock file.</exception>
    public static FileLock Acquire(string lockPath, TimeSpan timeout)
    {
        var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = AtomicFile.PrivateMode;
        }

        DateTime deadline = DateTime.UtcNow + timeout;
        TimeSpan wait = s_firstRetry;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(lockPath, options));
            }
            catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new IOException($"{lockPath} stayed locked by another process for {timeout.TotalSeconds:0.#} s ({ex.Message}); "
                        + "another mcp-ssh may be adding a host key: try again", ex);
                }
            }

            // A backoff between attempts, not a synchronisation: flock has no wait with a deadline.
            Thread.Sleep(wait);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, s_maxRetry.Ticks));
        }
    }

    public void Dispose() => _stream.Dispose();
}
