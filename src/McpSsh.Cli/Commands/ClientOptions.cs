using System.CommandLine;
using McpSsh.Diagnostics;
using Microsoft.Extensions.Logging;

namespace McpSsh.Cli.Commands;

/// <summary>
/// The client's flags: every flag of the Python m2m-mcp-server-ssh-client with its default (marked
/// "Python-compatible" in help), plus ours.
/// </summary>
internal static class ClientOptions
{
    public const string DefaultClientKey = "~/.ssh/m2m_mcp_server_ssh_client";
    public const string DefaultKnownHosts = "~/.ssh/known_hosts";
    public const long DefaultMaxFrameBytes = 64L * 1024 * 1024;

    public static readonly Option<string> Host = new("--host")
    { Description = "SSH server host. Python-compatible", DefaultValueFactory = _ => "localhost", HelpName = "HOST" };

    public static readonly Option<int> Port = new("--port")
    { Description = "SSH server port. Python-compatible", DefaultValueFactory = _ => 8022, HelpName = "PORT" };

    public static readonly Option<string> Username = new("--username")
    { Description = "SSH user name. Python-compatible", DefaultValueFactory = _ => "mcp", HelpName = "USER" };

    public static readonly Option<string> ClientKey = new("--client-key")
    {
        Description = "Private key (ed25519, ecdsa or rsa; OpenSSH, PEM or PKCS#8). At the default path a missing key is generated (Ed25519). Python-compatible",
        DefaultValueFactory = _ => DefaultClientKey,
        HelpName = "FILE",
    };

    public static readonly Option<string> KnownHosts = new("--known-hosts")
    { Description = "OpenSSH known_hosts file used to verify the server. Python-compatible", DefaultValueFactory = _ => DefaultKnownHosts, HelpName = "FILE" };

    public static readonly Option<string?> Passphrase = new("--passphrase")
    { Description = "Passphrase of the private key (visible in process lists: prefer --passphrase-file or MCP_SSH_PASSPHRASE). Python-compatible", HelpName = "TEXT" };

    public static readonly Option<string?> PassphraseFile = new("--passphrase-file")
    { Description = "Read the key's passphrase from the first line of FILE", HelpName = "FILE" };

    public static readonly Option<bool> DisableHostKeyChecking = new("--disable-host-key-checking")
    { Description = "Accept any host key (insecure; warned about on every connect). Python-compatible" };

    public static readonly Option<bool> AcceptNew = new("--accept-new")
    { Description = "Trust on first use: add an unknown host's key to --known-hosts; a changed key is still refused" };

    public static readonly Option<bool> UseKeyServer = new("--use-key-server")
    { Description = "Fetch the host key from the server's key server (pinned in ~/.ssh/known_hosts on first use; any other key later is refused) and register the client key. Tries https://HOST/ first and plain http://HOST:PORT only if nothing answers over TLS; a TLS error stops. Python-compatible" };

    public static readonly Option<int> KeyServerPort = new("--key-server-port")
    { Description = "Key server HTTP port. Python-compatible", DefaultValueFactory = _ => 8000, HelpName = "PORT" };

    public static readonly Option<string?> KeyServerToken = new("--key-server-token")
    { Description = "Bearer token the key server requires for registration (or set MCP_SSH_KEY_SERVER_TOKEN, not visible in process lists)", HelpName = "TOKEN" };

    public static readonly Option<bool> KeyServerAllowHttpToken = new("--key-server-allow-http-token")
    { Description = "Send --key-server-token over plain HTTP when the key server does not answer over TLS on port 443 (anyone on the network path can read it); without this flag such a registration is refused" };

    public static readonly Option<string> LogLevel = new("--log-level")
    { Description = "TRACE (each frame's direction, size, method and id; never content), DEBUG, INFO, WARNING, ERROR or CRITICAL, any case. Python-compatible", DefaultValueFactory = _ => "INFO", HelpName = "LEVEL" };

    public static readonly Option<string?> LogFile = new("--log-file")
    { Description = "Also append logs to FILE (logs always go to stderr, never stdout)", HelpName = "FILE" };

    public static readonly Option<string?> RemoteCommand = new("--remote-command")
    { Description = "Send an exec request for CMD instead of a shell request, e.g. \"npx -y @modelcontextprotocol/server-everything\"", HelpName = "CMD" };

    public static readonly Option<double> ConnectTimeout = new("--connect-timeout")
    { Description = "Seconds allowed for each connect step (TCP, key exchange, authentication, channel)", DefaultValueFactory = _ => 15, HelpName = "SECONDS" };

    public static readonly Option<double> Keepalive = new("--keepalive")
    { Description = "Probe the server (an MCP ping the host never sees) after SECONDS without a message from it; 0 turns probing off", DefaultValueFactory = _ => 15, HelpName = "SECONDS" };

    public static readonly Option<int> KeepaliveCountMax = new("--keepalive-count-max")
    { Description = "Unanswered probes after which the connection is treated as dead", DefaultValueFactory = _ => 3, HelpName = "N" };

    public static readonly Option<bool> NoReconnect = new("--no-reconnect")
    { Description = "Exit when the connection is lost instead of reconnecting and replaying the session" };

    public static readonly Option<double> ReconnectWait = new("--reconnect-wait")
    { Description = "Seconds a request made while reconnecting waits for the connection before it gets an error", DefaultValueFactory = _ => 20, HelpName = "SECONDS" };

    public static readonly Option<long> MaxFrameBytes = new("--max-frame-bytes")
    { Description = "Largest JSON-RPC message relayed; larger ones are answered with an error and not sent", DefaultValueFactory = _ => DefaultMaxFrameBytes, HelpName = "BYTES" };

    public static readonly Option<string?> SshConfig = new("--ssh-config")
    { Description = "Read this OpenSSH client config instead of ~/.ssh/config and /etc/ssh/ssh_config (like ssh -F)", HelpName = "FILE" };

    public static readonly Option<bool> NoSshConfig = new("--no-ssh-config")
    { Description = "Do not read any OpenSSH client config: only flags and the Python client's defaults" };

    public static readonly Option<string?> SshCommand = new("--ssh-command")
    { Description = "Use the system OpenSSH client as the link (e.g. ssh, or its full path): hardware keys, GSSAPI, ControlMaster and all of ssh's config work; frame checks, keepalive and reconnect stay ours", HelpName = "CMD" };

    public static readonly Option<string?> Jump = new("--jump")
    { Description = "Reach --host through jump hosts, [user@]host[:port] separated by commas (as ssh -J); each is resolved through the OpenSSH config and checked like the target", HelpName = "HOPS" };

    public static readonly Option<string[]> AllowTools = new("--allow-tools")
    { Description = "Relay only tools whose names match one of these globs (* any run of characters, ? one; case-sensitive), comma-separated or repeated: others are left out of tools/list and a call to one gets an error", HelpName = "GLOB,..." };

    public static readonly Option<string[]> DenyTools = new("--deny-tools")
    { Description = "Hide tools whose names match one of these globs, comma-separated or repeated; deny wins over --allow-tools", HelpName = "GLOB,..." };

    /// <summary>--log-level as a level, for every command that takes it; a bad name is a usage error.</summary>
    public static LogLevel ParseLogLevel(ParseResult parse) =>
        LogLevelNames.TryParse(parse.GetValue(LogLevel), out LogLevel level)
            ? level
            : throw new UsageException($"--log-level '{parse.GetValue(LogLevel)}' is not a level; use one of {string.Join(", ", LogLevelNames.All)}");

    public static IEnumerable<Option> All =>
    [
        Host, Port, Username, ClientKey, KnownHosts, Passphrase, PassphraseFile, DisableHostKeyChecking, AcceptNew,
        UseKeyServer, KeyServerPort, KeyServerToken, KeyServerAllowHttpToken, LogLevel, LogFile, RemoteCommand, ConnectTimeout, Keepalive, KeepaliveCountMax, NoReconnect, ReconnectWait, MaxFrameBytes,
        SshConfig, NoSshConfig, SshCommand, Jump, AllowTools, DenyTools,
    ];
}
