using System.CommandLine;
using McpSsh.Diagnostics;
using McpSsh.Ssh;
using Microsoft.Extensions.Logging;
using O = McpSsh.Cli.Commands.ClientOptions;

namespace McpSsh.Cli.Commands;

/// <summary>The client's flags after validation: flag combinations checked, paths expanded, passphrase resolved.</summary>
internal sealed partial record ClientSettings(
    SshConnectOptions Ssh,
    LogLevel LogLevel,
    string? LogFile,
    long MaxFrameBytes,
    bool GenerateMissingKey,
    IReadOnlyList<string> Warnings)
{
    public const string PassphraseVariable = "MCP_SSH_PASSPHRASE";
    public const string KeyServerTokenVariable = "MCP_SSH_KEY_SERVER_TOKEN";

    /// <summary>Tunes (or, with "off", disables) streaming of frames above this many bytes (issue 16).</summary>
    public const string StreamAboveVariable = "MCP_SSH_STREAM_ABOVE_BYTES";

    /// <summary>Frames above this many bytes are forwarded in parts as they arrive; <see cref="long.MaxValue"/>: never.</summary>
    public long StreamAboveBytes { get; init; } = Relay.RelayOptions.DefaultStreamAboveBytes;

    /// <summary>--use-key-server: fetch and pin the host key, register the client key, then connect.</summary>
    public bool UseKeyServer { get; init; }

    public int KeyServerPort { get; init; } = 8000;

    /// <summary>Never logged.</summary>
    public string? KeyServerToken { get; init; }

    /// <summary>--key-server-allow-http-token: the token may go over plain HTTP.</summary>
    public bool KeyServerAllowHttpToken { get; init; }

    /// <summary>Keepalive, reconnect and replay (the endpoint and frame limit are filled in by the runner).</summary>
    public Resilience.ResilienceOptions Resilience { get; init; } = new();

    public static ClientSettings From(ParseResult parse, Func<string, string?> environment) =>
        From(parse, Platform.HostEnvironment.Current with { Variable = environment });

    /// <summary>The settings, with home, ~/.ssh and environment variables from <paramref name="host"/> (tests inject Windows and macOS).</summary>
    public static ClientSettings From(ParseResult parse, Platform.HostEnvironment host)
    {
        Func<string, string?> environment = host.Variable;
        var warnings = new List<string>();
        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };

        LogLevel level = O.ParseLogLevel(parse);

        string[] exclusive = [.. new Option[] { O.KnownHosts, O.DisableHostKeyChecking, O.UseKeyServer }.Where(Given).Select(o => o.Name)];
        if (exclusive.Length > 1)
        {
            throw new UsageException($"{string.Join(" and ", exclusive)} cannot be combined: choose one way to verify the server's host key");
        }

        if (parse.GetValue(O.AcceptNew) && (parse.GetValue(O.DisableHostKeyChecking) || parse.GetValue(O.UseKeyServer)))
        {
            throw new UsageException("--accept-new works with --known-hosts; it cannot be combined with --disable-host-key-checking or --use-key-server");
        }

        bool useKeyServer = parse.GetValue(O.UseKeyServer);
        if (Given(O.KeyServerPort) && !useKeyServer)
        {
            warnings.Add("--key-server-port has no effect without --use-key-server");
        }

        if (Given(O.KeyServerToken))
        {
            warnings.Add(useKeyServer
                ? $"--key-server-token is visible to other users in process lists; prefer the {KeyServerTokenVariable} environment variable"
                : "--key-server-token has no effect without --use-key-server");
        }

        if (Given(O.KeyServerAllowHttpToken) && !useKeyServer)
        {
            warnings.Add("--key-server-allow-http-token has no effect without --use-key-server");
        }

        if (parse.GetValue(O.KeyServerPort) is < 1 or > 65535)
        {
            throw new UsageException($"--key-server-port {parse.GetValue(O.KeyServerPort)} is not a TCP port (1-65535)");
        }

        int port = parse.GetValue(O.Port);
        if (port is < 1 or > 65535)
        {
            throw new UsageException($"--port {port} is not a TCP port (1-65535)");
        }

        double timeout = parse.GetValue(O.ConnectTimeout);
        if (!(timeout > 0 && timeout <= 3600))
        {
            throw new UsageException($"--connect-timeout {timeout} must be between 0 and 3600 seconds");
        }

        long maxFrame = parse.GetValue(O.MaxFrameBytes);
        if (maxFrame < 1024)
        {
            throw new UsageException($"--max-frame-bytes {maxFrame} is too small; MCP messages need at least 1024");
        }

        string? remoteCommand = parse.GetValue(O.RemoteCommand);
        if (remoteCommand is { } rc && string.IsNullOrWhiteSpace(rc))
        {
            throw new UsageException("--remote-command is empty; give the command that starts the MCP server on the remote host");
        }

        string clientKey = parse.GetValue(O.ClientKey)!;
        (SshConnectOptions ssh, Ssh.Config.ResolvedSshConfig config) = ResolveConnection(parse, host, warnings, TimeSpan.FromSeconds(timeout));

        string? logFile = parse.GetValue(O.LogFile) is { } lf ? PathExpansion.Expand(lf, host) : null;
        // ServerAliveInterval and ServerAliveCountMax from ssh_config map onto our probes when the flags are not given.
        double keepalive = Given(O.Keepalive) ? parse.GetValue(O.Keepalive) : config.ServerAliveIntervalSeconds ?? parse.GetValue(O.Keepalive);
        double reconnectWait = parse.GetValue(O.ReconnectWait);
        int countMax = Given(O.KeepaliveCountMax) ? parse.GetValue(O.KeepaliveCountMax) : config.ServerAliveCountMax ?? parse.GetValue(O.KeepaliveCountMax);
        if (!(keepalive >= 0 && keepalive <= 3600) || countMax < 1 || !(reconnectWait >= 0 && reconnectWait <= 86400))
        {
            throw new UsageException("--keepalive must be 0-3600 seconds, --keepalive-count-max at least 1 and --reconnect-wait 0-86400 seconds");
        }

        string? token = parse.GetValue(O.KeyServerToken) ?? environment(KeyServerTokenVariable);
        bool defaultKey = clientKey == O.DefaultClientKey && ssh.PrivateKeyPath == PathExpansion.Expand(O.DefaultClientKey, host);
        return new ClientSettings(ssh, level, logFile, maxFrame, GenerateMissingKey: defaultKey || useKeyServer, warnings)
        {
            OpenSsh = OpenSshFrom(parse, config, ssh, warnings),
            ConfigNotes = [.. config.Sources.Select(source => $"ssh_config: {source.Key} from {source.Value}"),
                .. config.Ignored.Select(ignored => $"ssh_config: {ignored} is not used by mcp-ssh")],
            UseKeyServer = useKeyServer,
            StreamAboveBytes = StreamAboveFrom(environment(StreamAboveVariable), warnings),
            Tools = ToolFilterFrom(parse),
            KeyServerPort = parse.GetValue(O.KeyServerPort),
            KeyServerToken = string.IsNullOrEmpty(token) ? null : token,
            KeyServerAllowHttpToken = parse.GetValue(O.KeyServerAllowHttpToken),
            Resilience = new Resilience.ResilienceOptions
            {
                Keepalive = TimeSpan.FromSeconds(keepalive),
                KeepaliveCountMax = countMax,
                Reconnect = !parse.GetValue(O.NoReconnect),
                ReconnectWait = TimeSpan.FromSeconds(reconnectWait),
                MaxFrameBytes = maxFrame,
                Endpoint = ssh.Endpoint,
            },
        };
    }

    /// <summary>The streaming threshold from <see cref="StreamAboveVariable"/>; a value that is not one is warned about and ignored.</summary>
    internal static long StreamAboveFrom(string? value, List<string> warnings)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Relay.RelayOptions.DefaultStreamAboveBytes;
        }

        if (value == "off")
        {
            return long.MaxValue;
        }

        if (long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long bytes) && bytes >= 1024)
        {
            return bytes;
        }

        warnings.Add($"{StreamAboveVariable}={value} is not a number of bytes of at least 1024, nor off; using {Relay.RelayOptions.DefaultStreamAboveBytes}");
        return Relay.RelayOptions.DefaultStreamAboveBytes;
    }

    internal static string? ResolvePassphrase(ParseResult parse, Func<string, string?> environment, List<string> warnings)
    {
        string? inline = parse.GetValue(O.Passphrase);
        string? file = parse.GetValue(O.PassphraseFile);
        if (inline is not null && file is not null)
        {
            throw new UsageException("--passphrase and --passphrase-file cannot be combined");
        }

        if (file is not null)
        {
            string path = PathExpansion.Expand(file);
            try
            {
                using var reader = new StreamReader(path);
                return reader.ReadLine() ?? string.Empty;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read --passphrase-file {path}: {ex.Message}");
            }
        }

        if (inline is not null)
        {
            warnings.Add($"--passphrase is visible to other users in process lists; prefer --passphrase-file FILE or the {PassphraseVariable} environment variable");
            return inline;
        }

        return environment(PassphraseVariable);
    }
}
