using Renci.SshNet;
using Renci.SshNet.Common;

namespace McpSsh.Ssh;

/// <summary>
/// An authenticated SSH connection; owns the <see cref="SshClient"/> and what carries it (jump connections and
/// tunnels, closed after it, last opened first), and remembers why it failed.
/// </summary>
internal sealed class SshLink(SshClient client, IReadOnlyList<IAsyncDisposable>? owned = null) : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost = new();
    private Exception? _error;

    public SshClient Client { get; } = client;

    /// <summary>Cancelled once the connection is known to be gone (a channel's blocking reads must then be ended).</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Called from SSH.NET's listener thread: record, and signal off that thread (disconnecting from it would deadlock).</summary>
    public void OnErrorOccurred(object? sender, ExceptionEventArgs e)
    {
        _error ??= e.Exception;
        ThreadPool.UnsafeQueueUserWorkItem(static lost => lost.Cancel(), _lost, preferLocal: false);
    }

    public string DescribeClose(Exception? streamError, string whenClean)
    {
        Exception? cause = _error ?? streamError;
        if (cause is not null)
        {
            return $"the SSH connection was lost ({cause.Message})";
        }

        return Client.IsConnected ? whenClean : "the SSH connection was closed by the server";
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (Client.IsConnected)
            {
                Client.Disconnect();
            }
        }
        catch (Exception ex) when (ex is SshException or ObjectDisposedException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            // Already gone.
        }

        Client.Dispose();
        return owned is null ? ValueTask.CompletedTask : DisposeAllAsync(owned);
    }

    /// <summary>Disposes tunnels and jump links, the last opened first (the tunnel before the link it runs over).</summary>
    public static async ValueTask DisposeAllAsync(IReadOnlyList<IAsyncDisposable> resources)
    {
        for (int i = resources.Count - 1; i >= 0; i--)
        {
            await resources[i].DisposeAsync();
        }
    }
}
