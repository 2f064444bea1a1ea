using System.CommandLine;
using System.Runtime.InteropServices;
using McpSsh.Cli.Commands;
using McpSsh.Diagnostics;
using McpSsh.Ssh;
using Microsoft.Extensions.Logging;

namespace McpSsh.Cli;

/// <summary>
/// Parses the command line and runs the chosen command. Every failure ends here as one line on stderr that
/// starts with "mcp-ssh:" and a documented exit code; nothing but JSON-RPC ever reaches stdout in client mode.
/// </summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, Stream stdin, Stream stdout, TextWriter stderr)
    {
        RootCommand root = ClientCommand.Create((parse, token) => RunClientAsync(parse, stdin, stdout, stderr, token));
        string[] longOptions = [.. ClientOptions.All.Select(o => o.Name), "--help", "--version"];
        ParseResult parse = root.Parse(LegacyArgs.Normalize(args, longOptions));
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"mcp-ssh: {error.Message} (see mcp-ssh --help)");
            }

            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Error = stderr, EnableDefaultExceptionHandler = false });
    }

    private static async Task<int> RunClientAsync(ParseResult parse, Stream stdin, Stream stdout, TextWriter stderr, CancellationToken token)
    {
        ClientSettings settings;
        try
        {
            settings = ClientSettings.From(parse, Environment.GetEnvironmentVariable);
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"mcp-ssh: {ex.Message}");
            return ExitCodes.Usage;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Stop(ctx, stop));
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => Stop(ctx, stop));

        LineLoggerProvider provider;
        try
        {
            provider = new LineLoggerProvider(settings.LogLevel, stderr, settings.LogFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"mcp-ssh: cannot open --log-file {settings.LogFile}: {ex.Message}");
            return ExitCodes.Usage;
        }

        using (provider)
        using (var loggers = new SingleProviderLoggerFactory(provider))
        {
            try
            {
                return await new ClientRunner(settings, loggers, stderr).RunAsync(stdin, stdout, stop.Token);
            }
            catch (SshConnectException ex)
            {
                stderr.WriteLine($"mcp-ssh: {ex.Message}");
                return ExitCodes.For(ex.Failure);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"mcp-ssh: {ex.Message}");
                return ExitCodes.KeyFile;
            }
        }
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        // Shut down cleanly (drain answers, exit 0) instead of dying mid-frame.
        context.Cancel = true;
        stop.Cancel();
    }
}
