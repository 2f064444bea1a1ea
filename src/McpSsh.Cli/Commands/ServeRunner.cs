using McpSsh.Gateway;
using McpSsh.Server;
using McpSsh.Server.KeyServer;
using McpSsh.Server.Sshd;
using McpSsh.Ssh.Keys;
using Microsoft.Extensions.Logging;

namespace McpSsh.Cli.Commands;

/// <summary>
/// Runs serve: check the servers config, prepare the host key and state directory, write sshd_config, start
/// sshd (and the key server), then wait for SIGTERM/SIGINT (exit 0) or sshd's death (exit 11 with its status).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ServeRunner(ServeSettings settings, ILoggerProvider logs, ILoggerFactory loggers, TextWriter stderr)
{
    private readonly ILogger _logger = loggers.CreateLogger("serve");

    public async Task<int> RunAsync(CancellationToken stop)
    {
        foreach (string warning in settings.Warnings)
        {
            _logger.LogWarning("{Warning}", warning);
        }

        // The gateway reads the config again for each session; a config that cannot work fails here, once.
        var configWarnings = new List<string>();
        IReadOnlyList<ServerConfig> servers = ServerCatalog.Load(settings.ServersConfig, configWarnings);
        foreach (string warning in configWarnings)
        {
            _logger.LogWarning("{Warning}", warning);
        }

        AtomicFile.EnsureDirectory(settings.StateDir);
        string sshd = SshdLocator.FindSshd(settings.Sshd, Environment.GetEnvironmentVariable("PATH"), SshdLocator.SystemDirectories);
        string keygen = SshdLocator.FindKeygen(sshd, Environment.GetEnvironmentVariable("PATH"));
        using ServerHostKey hostKey = ServerHostKey.Prepare(settings.ServerKey, settings.Passphrase, settings.StateDir, keygen, _logger);

        AuthorizedKeysStore? store = settings.RunKeyServer ? new AuthorizedKeysStore(Path.Combine(settings.StateDir, "registered_keys")) : null;
        List<string> authorized = store is null || settings.AuthorizedClientsGiven ? [settings.AuthorizedClients] : [];
        if (store is not null)
        {
            authorized.Add(store.Path);
        }

        if (!StrictModesCheck.IsOff(settings.SshdOptions)
            && StrictModesCheck.Problem(authorized, settings.AllowUser == Environment.UserName ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : null) is { } problem)
        {
            throw new ServeException(problem);
        }

        if (store is null && !File.Exists(settings.AuthorizedClients))
        {
            _logger.LogWarning("--authorized-clients {Path} does not exist: no client can log in until a public key is added there (or use --run-key-server)", settings.AuthorizedClients);
        }

        await using SessionLogListener? sessionLog = SessionLogListener.Start(Path.Combine(settings.StateDir, "sessions.sock"), loggers.CreateLogger("serve"));
        var config = new SshdConfig
        {
            ListenAddress = settings.Host,
            Port = settings.Port,
            HostKeyPath = hostKey.Path,
            AuthorizedKeysFiles = authorized,
            AllowUser = settings.AllowUser,
            ForceCommand = settings.GatewayCommandLine(Environment.ProcessPath ?? throw new ServeException("cannot tell where this binary is (no process path)"), sessionLog?.Path),
            PidFile = Path.Combine(settings.StateDir, "sshd.pid"),
            LogLevel = settings.LogLevel,
            MaxStartups = settings.MaxStartups,
            Extra = settings.SshdOptions,
        };
        string configPath = Path.Combine(settings.StateDir, "sshd_config");
        AtomicFile.Write(configPath, System.Text.Encoding.UTF8.GetBytes(config.Render()), AtomicFile.PrivateMode);

        await using SshdSupervisor supervisor = await SshdSupervisor.StartAsync(sshd, configPath, _logger, stop);
        await using KeyServerHost? keyServer = store is null ? null : await StartKeyServerAsync(store, hostKey, stop);
        _logger.LogInformation("Serving {Count} MCP server(s) ({Names}) over SSH on {Host}:{Port} for user {User}", servers.Count,
            string.Join(", ", servers.Select(s => s.Name)), settings.Host, settings.Port, settings.AllowUser);
        foreach (string line in ServeHandout.Lines(hostKey.PublicKeyLine, ServeHandout.ClientHost(settings.Host), settings.Port, settings.AllowUser, store is null ? null : settings.KeyServerPort, settings.AuthorizedClients, settings.KeyServerToken is not null))
        {
            _logger.LogInformation("{Handout}", line);
        }

        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using CancellationTokenRegistration onStop = stop.Register(() => stopped.TrySetResult());
        if (await Task.WhenAny(stopped.Task, supervisor.Exited) == supervisor.Exited)
        {
            stderr.WriteLine($"mcp-ssh: sshd (pid {supervisor.Pid}) exited with status {supervisor.Exited.Result}; serve stops. Its last log lines are above");
            return ExitCodes.Serve;
        }

        _logger.LogInformation("Stopping sshd and every session");
        return ExitCodes.Ok;
    }

    private async Task<KeyServerHost> StartKeyServerAsync(AuthorizedKeysStore store, ServerHostKey hostKey, CancellationToken stop)
    {
        if (settings.KeyServerToken is null)
        {
            _logger.LogWarning("The key server has no token: anyone who can reach {Host}:{Port} can register a key and log in. Set {Variable} (or --key-server-token) to require one",
                settings.KeyServerHost, settings.KeyServerPort, ServeCommand.TokenVariable);
        }

        var options = new KeyServerOptions
        {
            Host = settings.KeyServerHost,
            Port = settings.KeyServerPort,
            ServerPublicKey = hostKey.PublicKeyLine,
            RatePerMinute = settings.KeyServerRate,
            Token = settings.KeyServerToken,
            CertificatePath = settings.KeyServerCert,
            CertificateKeyPath = settings.KeyServerCertKey,
        };
        return await KeyServerHost.StartAsync(options, store, logs, TimeProvider.System, stop);
    }
}
