using McpSsh.Cli;

// Thin on purpose: everything, including error printing and exit codes, lives in CliApp; what escapes it (or any
// other thread) becomes one "mcp-ssh: internal error" line and exit 1.
TextWriter stderr = StandardErrorOrNull();
InternalErrors.InstallLastResortHandler(stderr);
try
{
    InternalErrors.InjectForTests(Environment.GetEnvironmentVariable(InternalErrors.FaultVariable));
    return await CliApp.RunAsync(args, Console.OpenStandardInput(), Console.OpenStandardOutput(), stderr);
}
catch (Exception ex)
{
    return InternalErrors.Report(ex, stderr);
}

// Started with file descriptor 2 closed (a launcher's `2>&-`), Console.Error throws (its dup fails with EBADF) and the
// process aborted before doing anything: with nowhere to log, run without logs; stdout still carries the answers.
static TextWriter StandardErrorOrNull()
{
    try
    {
        return Console.Error;
    }
    catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
    {
        return TextWriter.Null;
    }
}
