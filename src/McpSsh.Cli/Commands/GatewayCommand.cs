using System.CommandLine;
using System.IO.Pipelines;
using McpSsh.Gateway;
using McpSsh.Relay;
using Microsoft.Extensions.Logging;

namespace McpSsh.Cli.Commands;

/// <summary>mcp-ssh gateway: several stdio MCP servers (desktop-format config) merged into one MCP server on stdio.</summary>
internal static class GatewayCommand
{
    public static readonly Option<string> ServersConfig = new("--servers-config")
    { Description = "JSON file in the desktop format: {\"mcpServers\": {\"NAME\": {\"command\", \"args\", \"env\", \"cwd\", \"tools\": {\"allow\": [GLOB...], \"deny\": [GLOB...]}}}}", Required = true, HelpName = "FILE" };

    public static readonly Option<bool> PrefixNames = new("--prefix-names")
    { Description = "Name every tool and prompt SERVER__name instead of suffixing clashes with _1, _2" };

    public static readonly Option<double> InitTimeout = new("--init-timeout")
    { Description = "Seconds a backend may take to answer initialize (and each merged list) before it is left out", DefaultValueFactory = _ => 30, HelpName = "SECONDS" };

    public static readonly Option<string?> SessionLog = new("--session-log")
    { Description = "Write log lines to this Unix socket instead of stderr (serve's sessions: their stderr goes to the SSH client)", HelpName = "SOCKET", Hidden = true };

    public static readonly Option<double> FirstFrameTimeout = CreateFirstFrameTimeout();

    // CancelAfter takes at most int.MaxValue milliseconds.
    private const int MaxTimeoutSeconds = int.MaxValue / 1000;

    public const string Description =
        """
        Merge several stdio MCP servers into one MCP server on stdin/stdout. One backend is relayed byte for byte;
        several are routed: lists are merged (clashing names get _1, _2 or, with --prefix-names, SERVER__name),
        calls go to the backend that owns the name or URI, and requests from backends to the host (sampling,
        elicitation, roots) come back to the backend that asked. A backend that exits is restarted on the next
        request that needs it. Merged tool and prompt names always match ^[a-zA-Z0-9_-]{1,64}$ (odd characters
        become _, long names end in a short hash). A server's "tools": {"allow": [GLOB...], "deny": [GLOB...]}
        hides tools (* any run, ? one character; deny wins): they are not listed and a call gets an error. `mcp-ssh serve` runs this for every SSH session; it is useful locally too.

        Example:
          mcp-ssh gateway --servers-config servers_config.json
        """;

    public static Command Create(Func<ParseResult, CancellationToken, Task<int>> run)
    {
        var command = new Command("gateway", Description) { ServersConfig, PrefixNames, InitTimeout, FirstFrameTimeout, ClientOptions.LogLevel, ClientOptions.LogFile, ClientOptions.MaxFrameBytes, SessionLog };
        command.SetAction(run);
        return command;
    }

    private static Option<double> CreateFirstFrameTimeout()
    {
        var option = new Option<double>("--first-frame-timeout")
        {
            Description = "Seconds the host may take to send its first valid JSON-RPC message before the session ends (a port probe must not pin the gateway and its servers); 0: no bound",
            DefaultValueFactory = _ => 60,
            HelpName = "SECONDS",
        };
        option.Validators.Add(static result =>
        {
            double seconds = result.GetValueOrDefault<double>();
            if (!(seconds >= 0 && seconds <= MaxTimeoutSeconds))
            {
                result.AddError($"--first-frame-timeout {seconds}: give seconds from 0 (no bound) to {MaxTimeoutSeconds}");
            }
        });
        return option;
    }

    /// <summary>Runs the gateway until the host closes stdin; exit 0 after every backend has stopped.</summary>
    public static async Task<int> RunAsync(ParseResult parse, IReadOnlyList<ServerConfig> servers, Stream stdin, Stream stdout, ILoggerFactory loggers, CancellationToken stop)
    {
        ILogger logger = loggers.CreateLogger("gateway");
        PipeReader input = PipeReader.Create(stdin, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        var output = new StreamFrameSink(stdout);
        long maxFrame = parse.GetValue(ClientOptions.MaxFrameBytes);
        double firstFrameSeconds = parse.GetValue(FirstFrameTimeout);
        TimeSpan? firstFrame = firstFrameSeconds > 0 ? TimeSpan.FromSeconds(firstFrameSeconds) : null;

        if (servers.Count == 1)
        {
            // One backend: the same byte-for-byte relay as the client; only its tool filter (if any) rewrites tools/list answers.
            await using BackendProcess backend = BackendProcess.Start(servers[0], logger);
            var relay = new RelaySession(input, output, backend, new RelayOptions { MaxFrameBytes = maxFrame, Endpoint = $"backend {servers[0].Name}", FirstFrameTimeout = firstFrame, ToolFilter = servers[0].Tools }, loggers.CreateLogger("relay"));
            RelayResult result = await relay.RunAsync(stop);
            return result.Outcome == RelayOutcome.RemoteClosed ? ExitCodes.RemoteClosed : ExitCodes.Ok;
        }

        var options = new GatewayOptions
        {
            NamePolicy = parse.GetValue(PrefixNames) ? NamePolicy.Prefix : NamePolicy.Suffix,
            InitTimeout = TimeSpan.FromSeconds(parse.GetValue(InitTimeout)),
            MaxFrameBytes = maxFrame,
            FirstFrameTimeout = firstFrame,
            Version = typeof(GatewayCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        };
        await new GatewaySession(servers, input, output, options, logger).RunAsync(stop);
        return ExitCodes.Ok;
    }
}
