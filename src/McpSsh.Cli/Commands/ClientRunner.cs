using McpSsh.Diagnostics;
using McpSsh.Relay;
using McpSsh.Ssh;
using McpSsh.Ssh.Keys;
using Microsoft.Extensions.Logging;

namespace McpSsh.Cli.Commands;

/// <summary>Runs the client: prepare the key, connect, relay until one side ends, map the end to an exit code.</summary>
internal sealed class ClientRunner(ClientSettings settings, ILoggerFactory loggers, TextWriter stderr)
{
    private readonly ILogger _logger = loggers.CreateLogger("mcp-ssh");

    public async Task<int> RunAsync(Stream stdin, Stream stdout, CancellationToken stop)
    {
        IRemoteChannel first;
        try
        {
            first = await ConnectFirstAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (SshConnectException ex)
        {
            // Nothing has read stdin yet: the host's first request gets the error the host can show (issue 15).
            return await HostErrorAnswer.FailAsync(ExitCodes.For(ex.Failure), ex.Message, stderr, stdin, stdout, stop);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await HostErrorAnswer.FailAsync(ExitCodes.KeyFile, ex.Message, stderr, stdin, stdout, stop);
        }

        return await RelayAsync(first, stdin, stdout, stop);
    }

    /// <summary>Key preparation, the key server, then the first connect: everything that can fail before the relay.</summary>
    private async Task<IRemoteChannel> ConnectFirstAsync(CancellationToken stop)
    {
        // Before the first socket (key server or SSH) exists. Not with jump hosts: SSH.NET opens a forwarded channel
        // inside its listener's accept completion and blocks there for the jump host's answer, which, inline, would
        // wait for the very thread it blocks (every jump connect timed out).
        if (settings.Ssh.JumpHosts.Count == 0)
        {
            SocketCompletions.RunInline();
        }
        foreach (string warning in settings.Warnings)
        {
            _logger.LogWarning("{Warning}", warning);
        }

        foreach (string note in settings.ConfigNotes)
        {
            _logger.LogDebug("{Note}", note);
        }

        SshConnectOptions ssh = settings.Ssh;
        PrepareKey(ssh.PrivateKeyPath);
        if (settings.UseKeyServer)
        {
            await ExchangeKeysAsync(ssh, stop);
        }

        // The first connect retries a server that drops it before authentication (busy: MaxStartups); reconnects back off on their own.
        return settings.OpenSsh is null ? await ConnectRetry.ConnectAsync(ssh, loggers.CreateLogger("ssh"), stop) : await Connector()(stop);
    }

    private Func<CancellationToken, Task<IRemoteChannel>> Connector()
    {
        ILogger sshLogger = loggers.CreateLogger("ssh");
        SshConnectOptions ssh = settings.Ssh;
        return settings.OpenSsh is { } openSsh
            ? token => Ssh.OpenSsh.OpenSshConnector.ConnectAsync(openSsh, sshLogger, token)
            : token => SshConnector.ConnectAsync(ssh, sshLogger, token);
    }

    private async Task<int> RelayAsync(IRemoteChannel first, Stream stdin, Stream stdout, CancellationToken stop)
    {
        SshConnectOptions ssh = settings.Ssh;
        // Reconnects verify the host key and authenticate exactly as the first connect; a changed key ends it.
        // One in-flight table: the relay adds and answers requests, the channel marks the link each went out on.
        var inFlight = new InFlightRequests();
        var channel = new Resilience.ResilientChannel(first, Connector(),
            settings.Resilience with { StopsReconnecting = ex => ex is SshConnectException { Failure: ConnectFailure.HostKey } },
            loggers.CreateLogger("link"), inFlight: inFlight);

        // Requests the host sends once the session has given up are answered with the final error (issue 15).
        var input = new DivertibleInput(stdin);
        await using (channel)
        {
            var relay = new RelaySession(
                // stdin is read on a thread of its own that also frames, checks and queues each frame (a broken stdin is EOF).
                StreamToPipe.Start(input, "mcp-ssh stdin", static _ => { }),
                new StreamFrameSink(stdout),
                channel,
                new RelayOptions { MaxFrameBytes = settings.MaxFrameBytes, StreamAboveBytes = settings.StreamAboveBytes, Endpoint = ssh.Endpoint, ToolFilter = settings.Tools },
                loggers.CreateLogger("relay"), inFlight: inFlight);

            RelayResult result = await relay.RunAsync(stop);
            if (result.Outcome == RelayOutcome.RemoteClosed && channel.StopFailure is SshConnectException failure)
            {
                return await HostErrorAnswer.FailAsync(ExitCodes.For(failure.Failure), $"stopped reconnecting: {failure.Message}", stderr, input.Divert(), stdout, stop);
            }

            return result.Outcome switch
            {
                RelayOutcome.HostClosed => ExitCodes.Ok,
                // stdout broke: the host that would read an error or an exit code is gone already.
                RelayOutcome.HostWriteFailed => ExitCodes.Ok,
                _ => await HostErrorAnswer.FailAsync(ExitCodes.RemoteClosed,
                    $"connection to {ssh.Endpoint} closed: {result.Reason}"
                    + (result.FailedRequests > 0 ? $" ({result.FailedRequests} request(s) in flight were answered with an error)" : string.Empty)
                    + ". Check the server's logs; the MCP server behind SSH may have crashed or been stopped", stderr, input.Divert(), stdout, stop),
            };
        }
    }

    /// <summary>
    /// The key-server flow: the served host key is pinned into known_hosts on first use (and must match the pin
    /// later), the client's public key is registered, and the SSH connection is then checked against the pin.
    /// </summary>
    private async Task ExchangeKeysAsync(SshConnectOptions ssh, CancellationToken stop)
    {
        string publicKeyPath = ssh.PrivateKeyPath + ".pub";
        if (!File.Exists(publicKeyPath))
        {
            throw new SshConnectException(ConnectFailure.KeyFile,
                $"--use-key-server registers {publicKeyPath}, which does not exist. Write it with: ssh-keygen -y -f {ssh.PrivateKeyPath} > {publicKeyPath}");
        }

        using var keyServer = new Ssh.KeyServer.KeyServerClient(ssh.Host, settings.KeyServerPort, settings.KeyServerToken, loggers.CreateLogger("key-server"),
            new Ssh.KeyServer.KeyServerClientOptions { AllowHttpToken = settings.KeyServerAllowHttpToken });
        (string hostKey, string servedBy) = await keyServer.FetchHostKeyAsync(stop);
        Ssh.KeyServer.HostKeyPin.Apply(ssh.KnownHostsPath, ssh.Host, ssh.Port, hostKey, servedBy, _logger);
        string registeredAt = await keyServer.RegisterAsync(File.ReadAllText(publicKeyPath).Trim(), stop);
        _logger.LogInformation("Registered client key {Path} with the key server at {Url}", publicKeyPath, registeredAt);
    }

    private void PrepareKey(string path)
    {
        if (!File.Exists(path) && settings.GenerateMissingKey)
        {
            string publicLine = ClientKeyStore.Generate(path, $"mcp-ssh@{Environment.MachineName}");
            if (settings.UseKeyServer)
            {
                _logger.LogInformation("Generated a new Ed25519 client key at {Path}; it is registered with the key server next", path);
            }
            else
            {
                _logger.LogWarning("Generated a new Ed25519 client key at {Path} (public key in {Path}.pub). Install it on the server, e.g. append this line to ~USER/.ssh/authorized_keys there: {PublicKey}", path, path, publicLine);
            }
        }
        else if (File.Exists(path) && ClientKeyStore.IsReadableByOthers(path))
        {
            _logger.LogWarning("Private key {Path} is accessible by group or others; fix with: chmod 600 {Path}", path, path);
        }
    }
}
