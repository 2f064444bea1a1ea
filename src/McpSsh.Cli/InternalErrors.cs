namespace McpSsh.Cli;

/// <summary>
/// The last resort for exceptions nobody expected: one <c>mcp-ssh: internal error: ...</c> line on stderr and
/// exit 1, instead of the runtime's abort (SIGABRT, a stack dump, an exit code no host documents). Expected
/// failures never get here: each command maps them to its own line and exit code.
/// </summary>
internal static class InternalErrors
{
    /// <summary>Set by the integration tests only: makes the process throw where no code catches it.</summary>
    internal const string FaultVariable = "MCP_SSH_TEST_FAULT";

    /// <summary>
    /// Catches exceptions escaping any thread. The runtime would abort the process after the handlers ran, so the
    /// handler exits itself; stdout is untouched (it may be mid-frame, but nothing half-written follows).
    /// </summary>
    public static void InstallLastResortHandler(TextWriter stderr)
    {
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            Report(e.ExceptionObject, stderr);
            Environment.Exit(ExitCodes.Internal);
        };
    }

    /// <summary>Writes the one line that names the exception and what to do about it.</summary>
    public static int Report(object exception, TextWriter stderr)
    {
        try
        {
            stderr.WriteLine(Describe(exception));
            stderr.Flush();
        }
        catch (Exception)
        {
            // stderr itself is gone (the host closed it): the exit code is all that is left to say.
        }

        return ExitCodes.Internal;
    }

    public static string Describe(object exception)
    {
        string what = exception is Exception ex
            ? $"{ex.GetType().Name}: {ex.Message} (at {FirstFrame(ex)})"
            : exception.ToString() ?? "unknown";
        return $"mcp-ssh: internal error: {OneLine(what)}; this is a bug, please report it with the log of a run at --log-level DEBUG";
    }

    /// <summary>Starts the fault <see cref="FaultVariable"/> names: <c>thread</c> (a background thread) or <c>task</c> (the command itself).</summary>
    public static void InjectForTests(string? fault)
    {
        switch (fault)
        {
            case "thread":
                new Thread(() => throw new InvalidOperationException("injected fault on a background thread")) { IsBackground = true }.Start();
                break;
            case "task":
                throw new InvalidOperationException("injected fault in the command");
        }
    }

    private static string FirstFrame(Exception ex) =>
        ex.StackTrace?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } frame
            ? frame.StartsWith("at ", StringComparison.Ordinal) ? frame[3..] : frame
            : "unknown frame";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
