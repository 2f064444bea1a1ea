using System.CommandLine;
using McpSsh.Ssh;
using McpSsh.Ssh.Config;
using McpSsh.Ssh.OpenSsh;
using O = McpSsh.Cli.Commands.ClientOptions;

namespace McpSsh.Cli.Commands;

internal sealed partial record ClientSettings
{
    /// <summary>--ssh-command: the system ssh is the link; null: SSH.NET.</summary>
    public OpenSshOptions? OpenSsh { get; init; }

    /// <summary>ssh_config keywords mcp-ssh does not use, as <c>FILE:LINE: keyword</c>, and where each setting came from (logged at DEBUG).</summary>
    public IReadOnlyList<string> ConfigNotes { get; init; } = [];

    /// <summary>
    /// The connection settings with their precedence: an explicit flag, then the OpenSSH config for --host, then
    /// the Python client's default (port 8022, user mcp, key ~/.ssh/m2m_mcp_server_ssh_client).
    /// </summary>
    private static (SshConnectOptions Ssh, ResolvedSshConfig Config) ResolveConnection(
        ParseResult parse, Platform.HostEnvironment platform, List<string> warnings, TimeSpan flagTimeout)
    {
        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
        if (Given(O.SshConfig) && parse.GetValue(O.NoSshConfig))
        {
            throw new UsageException("--ssh-config and --no-ssh-config cannot be combined");
        }

        var sshConfig = ClientSshConfig.Create(parse.GetValue(O.SshConfig) is { } file ? PathExpansion.Expand(file, platform) : null,
            parse.GetValue(O.NoSshConfig), platform);
        string hostArgument = parse.GetValue(O.Host)!;
        int? flagPort = Given(O.Port) ? parse.GetValue(O.Port) : null;
        string? flagUser = Given(O.Username) ? parse.GetValue(O.Username) : null;
        ResolvedSshConfig config = sshConfig.Resolve(hostArgument, flagUser, flagPort);
        warnings.AddRange(config.Warnings);

        string host = config.HostName is null ? hostArgument : config.EffectiveHostName;
        int port = flagPort ?? config.Port ?? parse.GetValue(O.Port);
        string user = flagUser ?? config.User ?? parse.GetValue(O.Username)!;
        SshConfigTokens tokens = sshConfig.Tokens(config, host, port, user);

        List<string> keys = [];
        if (Given(O.ClientKey) || config.IdentityFiles.Count == 0)
        {
            keys.Add(PathExpansion.Expand(parse.GetValue(O.ClientKey)!, platform));
        }

        keys.AddRange(config.IdentityFiles.Select(f => sshConfig.Expand(tokens, f, "IdentityFile")));

        IReadOnlyList<string> knownHosts = Given(O.KnownHosts) ? [PathExpansion.Expand(parse.GetValue(O.KnownHosts)!, platform)]
            : sshConfig.KnownHostsFiles(config, tokens) ?? [PathExpansion.Expand(parse.GetValue(O.KnownHosts)!, platform)];

        HostKeyPolicy policy = parse.GetValue(O.DisableHostKeyChecking) ? HostKeyPolicy.Disabled
            : parse.GetValue(O.AcceptNew) ? HostKeyPolicy.AcceptNew
            : parse.GetValue(O.UseKeyServer) ? HostKeyPolicy.Strict
            : ClientSshConfig.HostKeyPolicyOf(config) ?? HostKeyPolicy.Strict;
        if (policy == HostKeyPolicy.Disabled && !Given(O.DisableHostKeyChecking))
        {
            warnings.Add($"{config.Sources["stricthostkeychecking"]} sets StrictHostKeyChecking no for {hostArgument}: host keys are not checked");
        }

        var ssh = new SshConnectOptions
        {
            Host = host,
            Port = port,
            Username = user,
            PrivateKeyPath = keys[0],
            IdentityFiles = keys,
            IdentityFilesOptional = !Given(O.ClientKey) && config.IdentityFiles.Count > 0,
            AgentPath = sshConfig.AgentPath(config, tokens),
            IdentitiesOnly = config.IdentitiesOnly ?? false,
            CertificateFiles = [.. config.CertificateFiles.Select(f => sshConfig.Expand(tokens, f, "CertificateFile"))],
            Passphrase = ResolvePassphrase(parse, platform.Variable, warnings),
            // "UserKnownHostsFile none": nothing is known and nothing can be recorded.
            KnownHostsPath = knownHosts.Count > 0 ? knownHosts[0] : (platform.IsWindows ? "NUL" : "/dev/null"),
            ReadOnlyKnownHostsPaths = [.. knownHosts.Skip(1), .. sshConfig.GlobalKnownHostsFiles(config, tokens)],
            HostKeyAlias = config.HostKeyAlias,
            HashKnownHosts = config.HashKnownHosts ?? false,
            HostKeyPolicy = policy,
            ConnectTimeout = Given(O.ConnectTimeout) || config.ConnectTimeoutSeconds is null ? flagTimeout : TimeSpan.FromSeconds(config.ConnectTimeoutSeconds.Value),
            RemoteCommand = parse.GetValue(O.RemoteCommand),
            ProxyCommand = ClientSshConfig.ProxyCommand(config, host, port, user),
        };

        IReadOnlyList<SshJumpHost> hops = config.JumpHosts;
        if (parse.GetValue(O.Jump) is { } jump)
        {
            hops = jump == "none" ? [] : SshJumpHost.ParseList(jump)
                ?? throw new UsageException($"--jump '{jump}' is not a list of [user@]host[:port] separated by commas");
            ssh = ssh with { ProxyCommand = null };
        }

        return (ssh with { JumpHosts = sshConfig.Hops(hops, ssh) }, config);
    }

    /// <summary>--ssh-command: what ssh is told; everything not given explicitly is left to ssh's own config.</summary>
    private static OpenSshOptions? OpenSshFrom(ParseResult parse, ResolvedSshConfig config, SshConnectOptions ssh, List<string> warnings)
    {
        if (parse.GetValue(O.SshCommand) is not { } command)
        {
            return null;
        }

        bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new UsageException("--ssh-command is empty; give ssh, or the full path of the OpenSSH client");
        }

        if (!IsRunnable(command))
        {
            throw new UsageException($"--ssh-command {command}: no such program{(command.Contains(Path.DirectorySeparatorChar) ? "" : " on PATH")}; install the OpenSSH client or give the full path of ssh");
        }

        if (Given(O.Passphrase) || Given(O.PassphraseFile))
        {
            warnings.Add("--passphrase and --passphrase-file are not used with --ssh-command: ssh never prompts here; load the key into ssh-agent instead");
        }

        return new OpenSshOptions
        {
            Command = command,
            Destination = parse.GetValue(O.Host)!,
            // The Python defaults apply only where ssh's config says nothing, as with the built-in transport.
            Port = Given(O.Port) || config.Port is null ? ssh.Port : null,
            User = Given(O.Username) || config.User is null ? ssh.Username : null,
            IdentityFile = Given(O.ClientKey) || config.IdentityFiles.Count == 0 ? ssh.PrivateKeyPath : null,
            KnownHostsFile = Given(O.KnownHosts) || config.UserKnownHostsFiles is null ? ssh.KnownHostsPath : null,
            StrictHostKeyChecking = parse.GetValue(O.DisableHostKeyChecking) ? "no" : parse.GetValue(O.AcceptNew) ? "accept-new" : Given(O.UseKeyServer) ? "yes" : null,
            ConfigFile = parse.GetValue(O.NoSshConfig) ? "none" : parse.GetValue(O.SshConfig) is { } file ? PathExpansion.Expand(file) : null,
            JumpHosts = parse.GetValue(O.Jump),
            ConnectTimeout = ssh.ConnectTimeout,
            RemoteCommand = ssh.RemoteCommand,
        };
    }

    /// <summary>A path that exists, or a bare name found on PATH (with Windows' executable extensions).</summary>
    private static bool IsRunnable(string command)
    {
        if (command.Contains(Path.DirectorySeparatorChar) || command.Contains(Path.AltDirectorySeparatorChar))
        {
            return File.Exists(command);
        }

        string[] extensions = OperatingSystem.IsWindows() ? ["", ".exe", ".cmd", ".bat"] : [""];
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => extensions.Any(ext => File.Exists(Path.Combine(dir, command + ext))));
    }
}
