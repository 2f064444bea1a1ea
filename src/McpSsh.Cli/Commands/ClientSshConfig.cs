using McpSsh.Platform;
using McpSsh.Ssh;
using McpSsh.Ssh.Agent;
using McpSsh.Ssh.Config;

namespace McpSsh.Cli.Commands;

/// <summary>
/// Where each connection setting comes from: an explicit flag, else the OpenSSH client config for --host
/// (~/.ssh/config then /etc/ssh/ssh_config, or --ssh-config), else the Python client's default. So a config
/// written for the Python client behaves as before when no Host entry matches, and `--host alias` works
/// wherever `ssh alias` does.
/// </summary>
internal sealed class ClientSshConfig
{
    /// <summary>ssh's default identities that mcp-ssh can use (jump hosts, which the Python defaults do not cover).</summary>
    private static readonly string[] s_sshDefaultKeys = ["id_rsa", "id_ecdsa", "id_ed25519"];

    private readonly IReadOnlyList<SshConfigFile>? _files;
    private readonly HostEnvironment _host;
    private readonly string _home;

    private ClientSshConfig(IReadOnlyList<SshConfigFile>? files, HostEnvironment host)
    {
        _files = files;
        _host = host;
        _home = host.Home;
    }

    /// <summary>--no-ssh-config: nothing is read; --ssh-config FILE: only FILE (as ssh -F); else ssh's two files.</summary>
    public static ClientSshConfig Create(string? configFile, bool disabled, string home, Func<string, string?> environment) =>
        Create(configFile, disabled, HostEnvironment.Current with { Home = home, Variable = environment });

    /// <summary>As above, with every path rule (home, ~/.ssh, the system config, the agent) from <paramref name="host"/>.</summary>
    public static ClientSshConfig Create(string? configFile, bool disabled, HostEnvironment host) =>
        new(disabled ? null : configFile is not null ? SshConfigFile.Only(configFile, host) : SshConfigFile.Defaults(host), host);

    /// <summary>The user's known_hosts: ~/.ssh/known_hosts (%USERPROFILE%\.ssh\known_hosts on Windows).</summary>
    public string DefaultKnownHosts => _host.Join(_host.SshDirectory, "known_hosts");

    /// <summary>ssh's default identities in the user's ~/.ssh, in ssh's order.</summary>
    public IReadOnlyList<string> DefaultIdentityFiles => [.. s_sshDefaultKeys.Select(name => _host.Join(_host.SshDirectory, name))];

    public ResolvedSshConfig Resolve(string host, string? userFromCommandLine, int? portFromCommandLine)
    {
        var context = SshConfigContext.ForCurrentUser(host, _home) with
        {
            UserFromCommandLine = userFromCommandLine,
            PortFromCommandLine = portFromCommandLine,
        };
        if (_files is null)
        {
            return SshConfigReader.Resolve(context, []);
        }

        try
        {
            return SshConfigReader.Resolve(context, _files);
        }
        catch (SshConfigException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>The tokens of a resolved host (for IdentityFile, UserKnownHostsFile, IdentityAgent, ProxyCommand).</summary>
    public SshConfigTokens Tokens(ResolvedSshConfig config, string host, int port, string user) =>
        new(SshConfigContext.ForCurrentUser(config.OriginalHost, _home), host, port, user, config.HostKeyAlias);

    public string Expand(SshConfigTokens tokens, string value, string keyword)
    {
        try
        {
            return Path.GetFullPath(tokens.ExpandPath(value, keyword));
        }
        catch (FormatException ex)
        {
            throw new UsageException($"{ex.Message} (ssh_config)");
        }
    }

    /// <summary>IdentityAgent (none, SSH_AUTH_SOCK, $VAR or a path), else SSH_AUTH_SOCK, else Windows' agent pipe.</summary>
    public string? AgentPath(ResolvedSshConfig config, SshConfigTokens tokens)
    {
        string? fromConfig = config.IdentityAgent;
        if (fromConfig is null or "SSH_AUTH_SOCK")
        {
            return AgentTransport.DefaultPath(_host.Variable, _host.IsWindows);
        }

        if (fromConfig == "none")
        {
            return null;
        }

        if (fromConfig.StartsWith('$'))
        {
            return _host.Variable(fromConfig.TrimStart('$').Trim('{', '}')) is { Length: > 0 } value ? value : null;
        }

        return AgentTransport.IsNamedPipe(fromConfig) ? fromConfig : Expand(tokens, fromConfig, "IdentityAgent");
    }

    /// <summary>A jump host, resolved through the config like ssh resolves it: ssh's defaults, not the Python client's.</summary>
    public SshConnectOptions Hop(SshJumpHost hop, SshConnectOptions target, int depth)
    {
        if (depth > 8)
        {
            throw new UsageException($"ProxyJump for {hop.Host} nests more than 8 jump hosts; check ProxyJump in ssh_config for a loop");
        }

        ResolvedSshConfig config = Resolve(hop.Host, hop.User, hop.Port);
        string host = config.EffectiveHostName;
        int port = hop.Port ?? config.Port ?? 22;
        string user = hop.User ?? config.User ?? Environment.UserName;
        SshConfigTokens tokens = Tokens(config, host, port, user);
        IReadOnlyList<string> keys = config.IdentityFiles.Count > 0
            ? [.. config.IdentityFiles.Select(f => Expand(tokens, f, "IdentityFile"))]
            : DefaultIdentityFiles;
        IReadOnlyList<string> knownHosts = KnownHostsFiles(config, tokens) ?? [DefaultKnownHosts];
        return target with
        {
            Host = host,
            Port = port,
            Username = user,
            PrivateKeyPath = keys[0],
            IdentityFiles = keys,
            IdentityFilesOptional = true,
            Passphrase = null,
            AgentPath = AgentPath(config, tokens),
            IdentitiesOnly = config.IdentitiesOnly ?? false,
            CertificateFiles = [.. config.CertificateFiles.Select(f => Expand(tokens, f, "CertificateFile"))],
            KnownHostsPath = knownHosts.Count > 0 ? knownHosts[0] : DefaultKnownHosts,
            ReadOnlyKnownHostsPaths = [.. knownHosts.Skip(1), .. GlobalKnownHostsFiles(config, tokens)],
            HostKeyAlias = config.HostKeyAlias,
            HashKnownHosts = config.HashKnownHosts ?? false,
            HostKeyPolicy = HostKeyPolicyOf(config) ?? HostKeyPolicy.Strict,
            ConnectTimeout = config.ConnectTimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : target.ConnectTimeout,
            RemoteCommand = null,
            ProxyCommand = ProxyCommand(config, host, port, user),
            JumpHosts = Hops(config.JumpHosts, target, depth + 1),
        };
    }

    public IReadOnlyList<SshConnectOptions> Hops(IReadOnlyList<SshJumpHost> hops, SshConnectOptions target, int depth = 0) =>
        [.. hops.Select(h => Hop(h, target, depth))];

    /// <summary>UserKnownHostsFile expanded; <c>none</c> is an empty list; null when the config does not set it.</summary>
    public IReadOnlyList<string>? KnownHostsFiles(ResolvedSshConfig config, SshConfigTokens tokens) =>
        config.UserKnownHostsFiles is not { } files ? null
        : files is ["none"] ? []
        : [.. files.Select(f => Expand(tokens, f, "UserKnownHostsFile"))];

    /// <summary>GlobalKnownHostsFile only when the config names it (the Python client never read the system's files).</summary>
    public IReadOnlyList<string> GlobalKnownHostsFiles(ResolvedSshConfig config, SshConfigTokens tokens) =>
        config.GlobalKnownHostsFiles is not { } files || files is ["none"] ? [] : [.. files.Select(f => Expand(tokens, f, "GlobalKnownHostsFile"))];

    public static HostKeyPolicy? HostKeyPolicyOf(ResolvedSshConfig config) => config.StrictHostKeyChecking switch
    {
        "yes" or "ask" => HostKeyPolicy.Strict,
        "accept-new" => HostKeyPolicy.AcceptNew,
        "no" => HostKeyPolicy.Disabled,
        _ => null,
    };

    /// <summary>ProxyCommand with %h %p %r %n %% expanded (as ssh does for it); null for none.</summary>
    public static string? ProxyCommand(ResolvedSshConfig config, string host, int port, string user)
    {
        if (config.ProxyCommand is null or "none")
        {
            return null;
        }

        var tokens = new System.Text.StringBuilder();
        string command = config.ProxyCommand;
        for (int i = 0; i < command.Length; i++)
        {
            if (command[i] != '%' || i + 1 == command.Length)
            {
                tokens.Append(command[i]);
                continue;
            }

            char token = command[++i];
            tokens.Append(token switch
            {
                'h' => host,
                'p' => port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                'r' => user,
                'n' => config.OriginalHost,
                '%' => "%",
                _ => throw new UsageException($"ProxyCommand ({config.Sources.GetValueOrDefault("proxycommand")}) uses %{token}, which mcp-ssh does not expand; use %h, %p, %r, %n or %%"),
            });
        }

        return tokens.ToString();
    }
}
