using System.CommandLine;

namespace McpSsh.Cli.Commands;

/// <summary>mcp-ssh serve: the remote side, a private OpenSSH sshd whose every session runs the gateway, plus the key server.</summary>
internal static class ServeCommand
{
    public static readonly Option<string> Host = new("--host")
    { Description = "Address sshd listens on. Python-compatible", DefaultValueFactory = _ => "127.0.0.1", HelpName = "HOST" };

    public static readonly Option<int> Port = new("--port")
    { Description = "SSH port. Python-compatible", DefaultValueFactory = _ => 8022, HelpName = "PORT" };

    public static readonly Option<string> AuthorizedClients = new("--authorized-clients")
    { Description = "authorized_keys file of the clients allowed in. Python-compatible", DefaultValueFactory = _ => "~/.ssh/authorized_keys", HelpName = "FILE" };

    public static readonly Option<string> ServerKey = new("--server-key")
    { Description = "The SSH host key (Ed25519 generated when missing; an encrypted one needs its passphrase). Python-compatible", DefaultValueFactory = _ => "~/.ssh/m2m_mcp_server_ssh_server", HelpName = "FILE" };

    public static readonly Option<string> ServersConfig = new("--servers-config")
    { Description = "The MCP servers every session gets, desktop JSON format (see `mcp-ssh gateway --help`). Python-compatible", DefaultValueFactory = _ => "servers_config.json", HelpName = "FILE" };

    public static readonly Option<bool> RunKeyServer = new("--run-key-server")
    { Description = "Also serve the key server (host key download, client key registration). Python-compatible" };

    public static readonly Option<int> KeyServerPort = new("--key-server-port")
    { Description = "Key server port. Python-compatible", DefaultValueFactory = _ => 8000, HelpName = "PORT" };

    public static readonly Option<string> KeyServerHost = new("--key-server-host")
    { Description = "Address the key server listens on. Python-compatible", DefaultValueFactory = _ => "127.0.0.1", HelpName = "HOST" };

    public static readonly Option<int> KeyServerRate = new("--key-server-rate")
    { Description = "Requests per minute one address may make to the key server", DefaultValueFactory = _ => 10, HelpName = "N" };

    public static readonly Option<string?> KeyServerToken = new("--key-server-token")
    { Description = "Require Authorization: Bearer TOKEN for /register (or set MCP_SSH_KEY_SERVER_TOKEN, not visible in process lists)", HelpName = "TOKEN" };

    public static readonly Option<string?> KeyServerCert = new("--key-server-cert")
    { Description = "Serve the key server over HTTPS with this PEM certificate (with --key-server-cert-key)", HelpName = "FILE" };

    public static readonly Option<string?> KeyServerCertKey = new("--key-server-cert-key")
    { Description = "PEM private key of --key-server-cert", HelpName = "FILE" };

    public static readonly Option<string> StateDir = new("--state-dir")
    { Description = "Where serve keeps sshd_config, registered keys and decrypted keys (0700)", DefaultValueFactory = _ => "~/.local/state/mcp-ssh", HelpName = "DIR" };

    public static readonly Option<string?> AllowUser = new("--allow-user")
    { Description = "The account clients log in as (sshd AllowUsers); default: the account running serve", HelpName = "USER" };

    public static readonly Option<string?> Sshd = new("--sshd")
    { Description = "The sshd binary to run (default: found on PATH or in /usr/sbin)", HelpName = "PATH" };

    public static readonly Option<string[]> SshdOption = new("--sshd-option")
    { Description = "Extra sshd_config line KEY=VALUE, repeatable; Match, Include and the keywords serve writes are refused", HelpName = "KEY=VALUE", AllowMultipleArgumentsPerToken = false };

    public static readonly Option<int> MaxStartups = new("--max-startups")
    { Description = "SSH handshakes sshd takes at once before it starts refusing new connections (sshd MaxStartups N:30:2N)", DefaultValueFactory = _ => 100, HelpName = "N" }; // SshdConfig.DefaultMaxStartups (Unix-only type)

    public const string TokenVariable = "MCP_SSH_KEY_SERVER_TOKEN";

    public const string Description =
        """
        Make MCP servers reachable over SSH: runs a private OpenSSH sshd (the real, trusted SSH server) with a
        generated sshd_config in which every session, shell or exec, runs `mcp-ssh gateway` over the servers in
        --servers-config. Public-key logins only, for one account; no tty, forwarding or agent. With
        --run-key-server, clients can fetch the host key and register their key over HTTP(S). SIGTERM or SIGINT
        stops sshd and every session. Drop-in for m2m-mcp-server-ssh-server.

        Examples:
          mcp-ssh serve --servers-config servers_config.json --authorized-clients ~/.ssh/authorized_keys
          MCP_SSH_KEY_SERVER_TOKEN=s3cret mcp-ssh serve --run-key-server --host 0.0.0.0 --key-server-host 0.0.0.0
        """;

    public static IEnumerable<Option> All =>
    [
        Host, Port, AuthorizedClients, ServerKey, ClientOptions.Passphrase, ClientOptions.PassphraseFile, ServersConfig,
        ClientOptions.LogLevel, ClientOptions.LogFile, RunKeyServer, KeyServerPort, KeyServerHost, KeyServerRate, KeyServerToken,
        KeyServerCert, KeyServerCertKey, StateDir, AllowUser, Sshd, SshdOption, MaxStartups, GatewayCommand.PrefixNames, GatewayCommand.InitTimeout,
    ];

    public static Command Create(Func<ParseResult, CancellationToken, Task<int>> run)
    {
        var command = new Command("serve", Description);
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }

        command.SetAction(run);
        return command;
    }
}
