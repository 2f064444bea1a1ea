using System.Diagnostics;
using McpSsh.Relay;
using McpSsh.Ssh.Agent;
using McpSsh.Ssh.KnownHosts;
using McpSsh.Ssh.Proxy;
using Microsoft.Extensions.Logging;
using Renci.SshNet;

namespace McpSsh.Ssh;

/// <summary>
/// Opens the SSH link (directly, through jump hosts, or through a ProxyCommand) and the channel to the remote MCP
/// server. Every failure comes out as one <see cref="SshConnectException"/> whose message says what failed,
/// where, and how to fix it.
/// </summary>
public static class SshConnector
{
    public static async Task<IRemoteChannel> ConnectAsync(SshConnectOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        SshLink link = await ConnectLinkAsync(options, via: null, logger, cancellationToken);
        Task<IRemoteChannel> opening = OnOwnThread(() => OpenChannel(link, options, logger));
        try
        {
            IRemoteChannel channel = await opening.WaitAsync(cancellationToken);
            ConnectionInfo info = link.Client.ConnectionInfo;
            logger.LogConnected(options.Endpoint, info.ServerVersion, info.CurrentKeyExchangeAlgorithm, info.CurrentServerEncryption,
                stopwatch.ElapsedMilliseconds, options.RemoteCommand is null ? "shell channel (no pty)" : "exec channel");
            return channel;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = opening.ContinueWith(static (done, state) => ((SshLink)state!).DisposeAsync(), link, TaskScheduler.Default);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await link.DisposeAsync();
            throw ex as SshConnectException ?? ConnectErrors.Explain(ex, options, hostKeyRefusal: null, keys: null);
        }
    }

    /// <summary>
    /// An authenticated connection, without a channel: the target's, or a jump host's. <paramref name="via"/> is the
    /// tunnel to reach it through; when null, its own ProxyJump or ProxyCommand decides (or a direct connect).
    /// </summary>
    internal static async Task<SshLink> ConnectLinkAsync(SshConnectOptions options, ITunnel? via, ILogger logger, CancellationToken cancellationToken)
    {
        var owned = new List<IAsyncDisposable>();
        SshLink? link = null;
        try
        {
            ITunnel? tunnel = via ?? await TunnelChain.OpenAsync(options, owned, logger, cancellationToken);
            IReadOnlyList<IPrivateKeySource> keys = ClientIdentities.Load(options, logger, out string keyNames);
            KnownHostsFile knownHosts = LoadKnownHosts(options);
            var auth = new PrivateKeyAuthenticationMethod(options.Username, [.. keys]);
            ConnectionInfo info = tunnel is null
                ? new ConnectionInfo(options.Host, options.Port, options.Username, auth)
                : new ConnectionInfo(options.Host, options.Port, options.Username, ProxyTypes.Socks5, "127.0.0.1", tunnel.Gate.Port, Socks5Gate.UserName, tunnel.Gate.Password, auth);
            info.Timeout = options.ConnectTimeout;
            AlgorithmPreferences.Apply(info, options.HostKeyPolicy == HostKeyPolicy.Disabled ? [] : knownHosts.KnownKeyTypes(options.KnownHostsName),
                certificateAuthority: options.HostKeyPolicy != HostKeyPolicy.Disabled && knownHosts.HasCertAuthorityFor(options.KnownHostsName));

            var verifier = new HostKeyVerifier(options, knownHosts, logger);
            var client = new SshClient(info);
            link = new SshLink(client, owned);
            client.HostKeyReceived += verifier.OnHostKeyReceived;
            client.ErrorOccurred += link.OnErrorOccurred;

            logger.LogConnecting(options.Endpoint + (tunnel is null ? "" : $" through {tunnel.Description}"), options.Username, keyNames);
            Task<bool> connecting = OnOwnThread(() =>
            {
                client.Connect();
                return true;
            });
            try
            {
                await connecting.WaitAsync(cancellationToken);
                return link;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Asked to stop mid-connect: the blocking connect cannot be interrupted, but closing the tunnels (and
                // any ProxyCommand) now ends it; the link is closed once the connect gives up.
                await SshLink.DisposeAllAsync(owned);
                _ = connecting.ContinueWith(static (done, state) => ((SshLink)state!).DisposeAsync(), link, TaskScheduler.Default);
                throw;
            }
            catch (Exception ex) when (ex is not SshConnectException and not OutOfMemoryException)
            {
                bool authenticated = info.IsAuthenticated;
                // Before disposing, which ends the tunnel too. SSH.NET does not report a jump host's refusal to open
                // the forward (its ForwardedPortLocal leaves the connection open and silent), so silence says it.
                string? tunnelFailure = tunnel is null ? null
                    : tunnel.Failure ?? (tunnel.Answered ? null : $"nothing answered through it within {options.ConnectTimeout.TotalSeconds:0.#} s: {tunnel.SilenceHint}");
                await link.DisposeAsync();
                // A tunnel that says why it failed (a jump host refused to forward) is not a busy server: no retry.
                if (tunnelFailure is { } failure && verifier.Refusal is null && !authenticated)
                {
                    ConnectFailure kind = tunnel!.Failure is null ? tunnel.SilenceFailure : ConnectFailure.Unreachable;
                    throw new SshConnectException(kind, $"cannot reach {options.Endpoint} through {tunnel.Description}: {failure}", ex);
                }

                SshConnectException explained = ConnectErrors.Explain(ex, options, verifier.Refusal, keyNames);
                throw ConnectRetry.IsTransient(ex, verifier.Refusal is not null, authenticated)
                    ? new SshConnectException(explained.Failure, explained.Message, ex) { Transient = true }
                    : explained;
            }
        }
        catch (Exception) when (link is null)
        {
            // Once the link exists it disposes the tunnels it owns; before that, they are closed here.
            await SshLink.DisposeAllAsync(owned);
            throw;
        }
    }

    /// <summary>
    /// SSH.NET's connect, authentication and channel open block (on wait handles, and in the async variant on a
    /// socket continuation); a thread of our own keeps them off the thread pool and off the epoll thread when
    /// socket completions run inline (<see cref="SocketCompletions"/>). Timeouts come from ConnectionInfo.Timeout.
    /// </summary>
    private static Task<T> OnOwnThread<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(work());
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
        string current = options.KnownHostsPath;
        try
        {
            KnownHostsFile file = KnownHostsFile.Load(current);
            foreach (string other in options.ReadOnlyKnownHostsPaths)
            {
                current = other;
                file = file.With(KnownHostsFile.Load(other));
            }

            return file;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SshConnectException(ConnectFailure.HostKey, $"cannot read known_hosts file {current}: {ex.Message}. Fix its permissions or choose another with --known-hosts", ex);
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
