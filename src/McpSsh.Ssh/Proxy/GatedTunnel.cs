using System.Net.Sockets;

namespace McpSsh.Ssh.Proxy;

/// <summary>
/// What every tunnel does the same way: open the <see cref="Socks5Gate"/>, accept SSH.NET's one connection, join it
/// to the far end the subclass opens, note whether anything came back, keep the first reason it failed, and close
/// once. Subclasses call <see cref="Start"/> at the end of their constructor, when their own fields are set.
/// </summary>
internal abstract class GatedTunnel(string description) : ITunnel
{
    private readonly CancellationTokenSource _stop = new();
    private Task _relay = Task.CompletedTask;
    private Socket? _inbound;
    private string? _failure;
    private bool _answered;
    private int _disposed;

    public Socks5Gate Gate { get; } = new();

    public string Description { get; } = description;

    public abstract ConnectFailure SilenceFailure { get; }

    public abstract string SilenceHint { get; }

    public bool Answered => Volatile.Read(ref _answered);

    public virtual string? Failure => Volatile.Read(ref _failure);

    protected void Start() => _relay = RunAsync();

    /// <summary>Keeps the first reason the tunnel failed.</summary>
    protected void Fail(string reason) => Interlocked.CompareExchange(ref _failure, reason, null);

    /// <summary>Ends the relay now: SSH.NET's client then fails at once instead of waiting for its timeout.</summary>
    protected void Abort()
    {
        _stop.Cancel();
        Volatile.Read(ref _inbound)?.Dispose();
    }

    /// <summary>The far end for the one accepted connection; it is closed when the relay ends.</summary>
    protected abstract Task<Stream> OpenFarEndAsync(CancellationToken cancellationToken);

    /// <summary>Closes the far end (a forwarded port, a process), once; the relay then ends.</summary>
    protected abstract ValueTask CloseFarEndAsync();

    /// <summary>Frees what <see cref="Failure"/> may still read, after the relay has ended.</summary>
    protected virtual void Release()
    {
    }

    private async Task RunAsync()
    {
        try
        {
            using Socket inbound = await Gate.AcceptAsync(_stop.Token);
            Volatile.Write(ref _inbound, inbound);
            Stream far = await OpenFarEndAsync(_stop.Token);
            await Relay.Run(new NetworkStream(inbound, ownsSocket: false), far, () => Volatile.Write(ref _answered, true));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Fail($"the tunnel through {Description} failed: {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        Gate.Dispose();
        await CloseFarEndAsync();
        await _relay.ContinueWith(static _ => { }, TaskScheduler.Default);
        Release();
        _stop.Dispose();
    }
}
