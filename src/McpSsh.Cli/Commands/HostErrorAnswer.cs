using McpSsh.JsonRpc;

namespace McpSsh.Cli.Commands;

/// <summary>
/// When the client cannot connect (or cannot even start: a bad flag, an ssh_config error), the host still gets the
/// reason: its first request is read and answered with a JSON-RPC error whose message is the same one-line
/// <c>mcp-ssh: ...</c> error that goes to stderr. Desktop hosts hide a stdio server's stderr; an error answer to
/// their first request is what they show ("Failed to connect — -32000: mcp-ssh: ..." in Claude Code, issue 15).
/// </summary>
/// <remarks>
/// The wait is bounded (<see cref="DefaultWait"/>): a host sends its first request as soon as the process starts,
/// so it is normally there before a connection has failed; stdin EOF or a terminal ends the wait at once.
/// Notifications and responses are skipped; any other line (a request, or a line that is not one JSON-RPC
/// object) gets the answer, with the id recovered when there is one and null otherwise.
/// </remarks>
internal static class HostErrorAnswer
{
    /// <summary>How long to wait for the host's first request once the client has failed (documented in the README).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(5);

    /// <summary>After an answer, how long a follow-up request is waited for (a probe's fallback comes within milliseconds).</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    /// <summary>The most requests answered before exiting: a host that keeps sending must not keep a failed client alive.</summary>
    public const int MaxAnswers = 16;

    /// <summary>The wait for the real process: none when stdin is a terminal (a person reads stderr there).</summary>
    public static TimeSpan WaitForProcess => Console.IsInputRedirected ? DefaultWait : TimeSpan.Zero;

    /// <summary>Prints the one-line error, answers the host's first request with it, and returns <paramref name="exitCode"/>.</summary>
    public static async Task<int> FailAsync(int exitCode, string error, TextWriter stderr, Stream stdin, Stream stdout, CancellationToken stop)
    {
        string line = $"mcp-ssh: {error}";
        stderr.WriteLine(line);
        await AnswerRequestsAsync(stdin, stdout, line, WaitForProcess, stop);
        return exitCode;
    }

    /// <summary>
    /// Reads stdin until the first line that expects an answer, EOF, or <paramref name="wait"/>, and answers that line
    /// with a -32000 error carrying <paramref name="message"/>; then answers further requests the same way until EOF or
    /// <see cref="Linger"/> without one, at most <see cref="MaxAnswers"/> in all (a C# SDK host that gets an error for <c>server/discover</c> sends
    /// <c>initialize</c> at once on the same pipe). Returns how many answers were written. Never throws for a broken
    /// stdin or stdout: the host may already be gone.
    /// </summary>
    public static async Task<int> AnswerRequestsAsync(Stream stdin, Stream stdout, string message, TimeSpan wait, CancellationToken stop)
    {
        if (wait <= TimeSpan.Zero)
        {
            return 0;
        }

        var lines = new RequestLines(stdin);
        int answered = 0;
        for (TimeSpan bound = wait; answered < MaxAnswers && await lines.NextAsync(bound, stop) is { } line; bound = Linger)
        {
            try
            {
                await stdout.WriteAsync(JsonRpcErrorWriter.Write(line.Id, JsonRpcErrorCode.ConnectionClosed, message), stop);
                await stdout.WriteAsync("\n"u8.ToArray(), stop);
                await stdout.FlushAsync(stop);
                answered++;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
            {
                break;
            }
        }

        return answered;
    }
}
