using McpSsh.Cli;

// Thin on purpose: everything, including error printing and exit codes, lives in CliApp; what escapes it (or any
// other thread) becomes one "mcp-ssh: internal error" line and exit 1.
InternalErrors.InstallLastResortHandler(Console.Error);
try
{
    InternalErrors.InjectForTests(Environment.GetEnvironmentVariable(InternalErrors.FaultVariable));
    return await CliApp.RunAsync(args, Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error);
}
catch (Exception ex)
{
    return InternalErrors.Report(ex, Console.Error);
}
