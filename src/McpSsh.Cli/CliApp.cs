using System.CommandLine;
using System.Runtime.InteropServices;
using McpSsh.Cli.Commands;
using McpSsh.Diagnostics;
using McpSsh.Gateway;
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
        root.Subcommands.Add(GatewayCommand.Create((parse, token) => RunGatewayAsync(parse, stdin, stdout, stderr, token)));
        VersionOutput.Register(root, stdout);
        root.Subcommands.Add(ServeCommand.Create((parse, token) => OperatingSystem.IsWindows() ? RefuseServeOnWindows(stderr) : RunServeAsync(parse, stderr, token)));
        root.Subcommands.Add(ConfigCommand.Create(stdout, stderr));
        root.Subcommands.Add(Doctor.DoctorCommand.Create(stdout, stderr));

        // Python spellings (argparse prefixes, --flag=value) for the client and for serve, the two drop-ins.
        string[] normalized = args.Length > 0 && args[0] == "serve"
            ? ["serve", .. LegacyArgs.Normalize(args[1..], [.. ServeCommand.All.Select(o => o.Name), "--help"])]
            : args.Length > 0 && root.Subcommands.Any(c => c.Name == args[0])
                ? args
                : LegacyArgs.Normalize(args, [.. ClientOptions.All.Select(o => o.Name), "--help", "--version"]);
        ParseResult parse = root.Parse(normalized);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"mcp-ssh: {error.Message} (see mcp-ssh --help)");
            }

            if (parse.CommandResult.Command == root)
            {
                // Client mode: the host shows the first error as the answer to its first request (issue 15).
                await HostErrorAnswer.AnswerRequestsAsync(stdin, stdout, $"mcp-ssh: {parse.Errors[0].Message} (see mcp-ssh --help)", HostErrorAnswer.WaitForProcess, CancellationToken.None);
            }

            return ExitCodes.Usage;
        }

        // ProcessTerminationTimeout null: System.CommandLine's own SIGTERM handler would force exit 143 after 2 s
        // (racing the relay's drain of answers in flight) and throw on a second signal; WithLoggingAsync handles it.
        return await parse.InvokeAsync(new InvocationConfiguration { Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
    }

    /// <summary>Reads a command's settings; a usage error is one line on stderr (the caller exits with Usage).</summary>
    private static bool TryParse<T>(Func<T> read, TextWriter stderr, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"mcp-ssh: {ex.Message}");
            value = default!;
            return false;
        }
    }

    private static Task<int> RunClientAsync(ParseResult parse, Stream stdin, Stream stdout, TextWriter stderr, CancellationToken token)
    {
        ClientSettings settings;
        try
        {
            settings = ClientSettings.From(parse, Environment.GetEnvironmentVariable);
        }
        catch (UsageException ex)
        {
            return HostErrorAnswer.FailAsync(ExitCodes.Usage, ex.Message, stderr, stdin, stdout, token); // the host shows it (issue 15)
        }

        return WithLoggingAsync(settings.LogLevel, settings.LogFile, stderr, token, async (loggers, stop) =>
        {
            try
            {
                return await new ClientRunner(settings, loggers, stderr).RunAsync(stdin, stdout, stop);
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
        });
    }

    private static Task<int> RunGatewayAsync(ParseResult parse, Stream stdin, Stream stdout, TextWriter stderr, CancellationToken token)
    {
        if (!TryParse(() => ClientOptions.ParseLogLevel(parse), stderr, out LogLevel level))
        {
            return Task.FromResult(ExitCodes.Usage);
        }

        var warnings = new List<string>();
        IReadOnlyList<ServerConfig> servers;
        try
        {
            servers = ServerCatalog.Load(PathExpansion.Expand(parse.GetValue(GatewayCommand.ServersConfig)!), warnings);
        }
        catch (GatewayConfigException ex)
        {
            stderr.WriteLine($"mcp-ssh: {ex.Message}");
            return Task.FromResult(ExitCodes.Config);
        }

        string? logFile = parse.GetValue(ClientOptions.LogFile) is { } lf ? PathExpansion.Expand(lf) : null;
        TextWriter logs = parse.GetValue(GatewayCommand.SessionLog) is { } socket ? ServeSessionLog.Connect(socket) : stderr; // under serve: not to the SSH client
        return WithLoggingAsync(level, logFile, logs, token, async (loggers, stop) =>
        {
            ILogger logger = loggers.CreateLogger("gateway");
            foreach (string warning in warnings)
            {
                logger.LogWarning("{Warning}", warning);
            }

            try
            {
                return await GatewayCommand.RunAsync(parse, servers, stdin, stdout, loggers, stop);
            }
            catch (GatewayConfigException ex)
            {
                stderr.WriteLine($"mcp-ssh: {ex.Message}");
                return ExitCodes.Config;
            }
        });
    }

    private static Task<int> RefuseServeOnWindows(TextWriter stderr)
    {
        stderr.WriteLine("mcp-ssh: serve runs OpenSSH's sshd and needs Linux or macOS; the client and the gateway work on Windows");
        return Task.FromResult(ExitCodes.Usage);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static Task<int> RunServeAsync(ParseResult parse, TextWriter stderr, CancellationToken token)
    {
        if (!TryParse(() => ServeSettings.From(parse, Environment.GetEnvironmentVariable), stderr, out ServeSettings settings))
        {
            return Task.FromResult(ExitCodes.Usage);
        }

        return WithLoggingAsync(settings.LogLevel, settings.LogFile, stderr, token, async (loggers, stop) =>
        {
            try
            {
                return await new ServeRunner(settings, loggers.Provider, loggers, stderr).RunAsync(stop);
            }
            catch (GatewayConfigException ex)
            {
                stderr.WriteLine($"mcp-ssh: {ex.Message}");
                return ExitCodes.Config;
            }
            catch (McpSsh.Server.ServeException ex)
            {
                stderr.WriteLine($"mcp-ssh: {ex.Message}");
                return ExitCodes.Serve;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"mcp-ssh: {ex.Message}");
                return ExitCodes.Serve;
            }
        });
    }

    /// <summary>Sets up stderr/--log-file logging and SIGTERM/SIGINT as a clean stop, then runs the command.</summary>
    private static async Task<int> WithLoggingAsync(LogLevel level, string? logFile, TextWriter stderr, CancellationToken token, Func<SingleProviderLoggerFactory, CancellationToken, Task<int>> run)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Stop(ctx, stop));
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => Stop(ctx, stop));

        LineLoggerProvider provider;
        try
        {
            provider = new LineLoggerProvider(level, stderr, logFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"mcp-ssh: cannot open --log-file {logFile}: {ex.Message}");
            return ExitCodes.Usage;
        }

        using (provider)
        using (var loggers = new SingleProviderLoggerFactory(provider))
        {
            return await run(loggers, stop.Token);
        }
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        // Shut down cleanly (drain answers, exit 0) instead of dying mid-frame.
        context.Cancel = true;
        stop.Cancel();
    }
}
