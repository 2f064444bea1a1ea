using System.Diagnostics;
using McpSsh.Relay;
using McpSsh.Ssh.KnownHosts;
using McpSsh.Ssh.Keys;
using Microsoft.Extensions.Logging;
using Renci.SshNet;

namespace McpSsh.Ssh;

/// <summary>
/// Opens the SSH link and the channel to the remote MCP server. Every failure comes out as one
/// <see cref="SshConnectException"/> whose message says what failed, where, and how to fix it.
/// </summary>
public static class SshConnector
{
    public static async Task<IRemoteChannel> ConnectAsync(SshConnectOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        IPrivateKeySource key = ClientKeyStore.Load(options.PrivateKeyPath, options.Passphrase);
        KnownHostsFile knownHosts = LoadKnownHosts(options);
        string hostName = SshKeyFormat.HostName(options.Host, options.Port);

        var info = new ConnectionInfo(options.Host, options.Port, options.Username, new PrivateKeyAuthenticationMethod(options.Username, key))
        {
            Timeout = options.ConnectTimeout,
        };
        AlgorithmPreferences.Apply(info, options.HostKeyPolicy == HostKeyPolicy.Disabled ? [] : knownHosts.KnownKeyTypes(hostName));

        var verifier = new HostKeyVerifier(options, knownHosts, logger);
        var client = new SshClient(info);
        var link = new SshLink(client);
        client.HostKeyReceived += verifier.OnHostKeyReceived;
        client.ErrorOccurred += link.OnErrorOccurred;

        logger.LogConnecting(options.Endpoint, options.Username, options.PrivateKeyPath);
        var stopwatch = Stopwatch.StartNew();
        Task<IRemoteChannel> connecting = ConnectOnOwnThread(link, options, logger);
        try
        {
            IRemoteChannel channel = await connecting.WaitAsync(cancellationToken);
            logger.LogConnected(options.Endpoint, info.ServerVersion, info.CurrentKeyExchangeAlgorithm, info.CurrentServerEncryption,
                stopwatch.ElapsedMilliseconds, options.RemoteCommand is null ? "shell channel (no pty)" : "exec channel");
            return channel;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Asked to stop mid-connect: the blocking connect cannot be interrupted; close whatever it opens.
            _ = connecting.ContinueWith(static (done, state) => ((SshLink)state!).DisposeAsync(), link, TaskScheduler.Default);
            throw;
        }
        catch (Exception ex) when (ex is not SshConnectException and not OutOfMemoryException)
        {
            bool authenticated = info.IsAuthenticated;
            await link.DisposeAsync();
            SshConnectException explained = ConnectErrors.Explain(ex, options, verifier.Refusal);
            throw ConnectRetry.IsTransient(ex, verifier.Refusal is not null, authenticated)
                ? new SshConnectException(explained.Failure, explained.Message, ex) { Transient = true }
                : explained;
        }
        catch (SshConnectException)
        {
            await link.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// SSH.NET's connect, authentication and channel open block (on wait handles, and in the async variant on a
    /// socket continuation); a thread of our own keeps them off the thread pool and off the epoll thread when
    /// socket completions run inline (<see cref="SocketCompletions"/>). Timeouts come from ConnectionInfo.Timeout.
    /// </summary>
    private static Task<IRemoteChannel> ConnectOnOwnThread(SshLink link, SshConnectOptions options, ILogger logger)
    {
        var done = new TaskCompletionSource<IRemoteChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                link.Client.Connect();
                done.SetResult(OpenChannel(link, options, logger));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "mcp-ssh connect" };
        thread.Start();
        return done.Task;
    }

    private static KnownHostsFile LoadKnownHosts(SshConnectOptions options)
    {
        try
        {
            return KnownHostsFile.Load(options.KnownHostsPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SshConnectException(ConnectFailure.HostKey, $"cannot read known_hosts file {options.KnownHostsPath}: {ex.Message}. Fix its permissions or choose another with --known-hosts", ex);
        }
    }

    private static IRemoteChannel OpenChannel(SshLink link, SshConnectOptions options, ILogger logger)
    {
        if (options.RemoteCommand is null)
        {
            return new ShellChannel(link, link.Client.CreateShellStreamNoTerminal(options.ChannelBufferSize));
        }

        return new ExecChannel(link, link.Client.CreateCommand(options.RemoteCommand), logger);
    }
}
