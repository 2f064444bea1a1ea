using System.Net;

namespace McpSsh.Server.KeyServer;

/// <summary>At most N requests per client address in any 60-second window (sliding), like the Python server's 10/minute.</summary>
public sealed class RateLimiter(int perMinute, TimeProvider clock)
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<IPAddress, Queue<DateTimeOffset>> _recent = [];
    private readonly Lock _lock = new();

    public bool TryAcquire(IPAddress client) => TryAcquire(client, out _);

    /// <param name="retryAfter">When refused: how long until the oldest request leaves the window.</param>
    public bool TryAcquire(IPAddress client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        DateTimeOffset now = clock.GetUtcNow();
        lock (_lock)
        {
            if (!_recent.TryGetValue(client, out Queue<DateTimeOffset>? times))
            {
                _recent[client] = times = new Queue<DateTimeOffset>();
                if (_recent.Count > 10_000)
                {
                    Forget(now); // bounded memory under many addresses
                }
            }

            while (times.Count > 0 && now - times.Peek() >= s_window)
            {
                times.Dequeue();
            }

            if (times.Count >= perMinute)
            {
                retryAfter = s_window - (now - times.Peek());
                return false;
            }

            times.Enqueue(now);
            return true;
        }
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (IPAddress idle in _recent.Where(r => r.Value.Count == 0 || now - r.Value.Last() >= s_window).Select(r => r.Key).ToList())
        {
            _recent.Remove(idle);
        }
    }
}
