using Microsoft.Extensions.Logging;

namespace McpSsh.Ssh.Proxy;

/// <summary>
/// The way to a host that is not a direct TCP connect: its ProxyCommand, or its ProxyJump hops, first hop first,
/// each an SSH connection of its own with the same host-key checks and authentication as the target (as
/// <c>ssh -J</c>: only the first hop's own ProxyJump applies; later hops are reached through the chain).
/// </summary>
internal static class TunnelChain
{
    /// <summary>
    /// Opens the tunnel for <paramref name="target"/>, or returns null when it is reached directly. Everything
    /// opened on the way is added to <paramref name="owned"/> (disposed with the target's connection, last first).
    /// </summary>
    public static async Task<ITunnel?> OpenAsync(SshConnectOptions target, List<IAsyncDisposable> owned, ILogger logger, CancellationToken cancellationToken)
    {
        if (target.JumpHosts.Count == 0)
        {
            if (target.ProxyCommand is null)
            {
                return null;
            }

            var command = new ProxyCommandTunnel(target.ProxyCommand, logger);
            owned.Add(command);
            return command;
        }

        ITunnel? via = null;
        for (int i = 0; i < target.JumpHosts.Count; i++)
        {
            // Only the first hop's own ProxyJump/ProxyCommand is followed; the chain decides how later hops are reached.
            SshConnectOptions hop = i == 0 ? target.JumpHosts[i] : target.JumpHosts[i] with { JumpHosts = [], ProxyCommand = null };
            SshConnectOptions next = i + 1 < target.JumpHosts.Count ? target.JumpHosts[i + 1] : target;
            string name = $"{hop.Username}@{hop.Endpoint}";
            logger.LogInformation("Connecting to jump host {Hop} ({Index} of {Count})", name, i + 1, target.JumpHosts.Count);
            SshLink link;
            try
            {
                link = await SshConnector.ConnectLinkAsync(hop, via, logger, cancellationToken);
            }
            catch (SshConnectException ex)
            {
                throw new SshConnectException(ex.Failure, $"jump host {name}: {ex.Message}", ex);
            }

            owned.Add(link);
            var tunnel = new JumpTunnel(link.Client, name, next.Host, next.Port);
            owned.Add(tunnel);
            via = tunnel;
        }

        return via;
    }
}
