namespace McpSsh.Resilience;

/// <summary>Reconnect delays: exponential from 0.5 s to a 30 s cap, with ±20% jitter so many clients do not retry in step.</summary>
public static class Backoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(0.5);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    /// <param name="attempt">0 for the first retry after a loss; reset to 0 after every successful reconnect.</param>
    /// <param name="jitter">A value in [0, 1) (Random.Shared.NextDouble() in production).</param>
    public static TimeSpan Delay(int attempt, double jitter)
    {
        double baseMs = Math.Min(Cap.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16)));
        return TimeSpan.FromMilliseconds(Math.Min(Cap.TotalMilliseconds, baseMs * (0.8 + (0.4 * jitter))));
    }
}
