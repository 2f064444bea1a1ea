namespace McpSsh.Tests.Support;

/// <summary>
/// A clock the test moves by hand: timers (Task.Delay on this provider included) fire only inside
/// <see cref="Advance"/>, on the caller's thread, so timer-driven behaviour is tested without waiting on real time.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _now = TimeSpan.FromDays(1).Ticks; // never zero: code may use a zero timestamp as "none"

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(GetTimestamp());

    private readonly List<(int Count, TaskCompletionSource Reached)> _pendingWaits = [];

    /// <summary>Timers waiting to fire.</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return PendingLocked;
            }
        }
    }

    private int PendingLocked => _timers.Count(t => t.Due is not null);

    /// <summary>Completes once <paramref name="count"/> timers are armed (code under test arms them on its own threads).</summary>
    public Task WhenPendingAsync(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (PendingLocked >= count)
            {
                return Task.CompletedTask;
            }

            _pendingWaits.Add((count, reached));
        }

        return reached.Task;
    }

    /// <summary>A timer was armed: wake the waits it satisfies. Call under the lock.</summary>
    private void TimerArmedLocked()
    {
        int pending = PendingLocked;
        _pendingWaits.RemoveAll(w => pending >= w.Count && w.Reached.TrySetResult());
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires every timer that came due, in order.</summary>
    public void Advance(TimeSpan by)
    {
        long target;
        lock (_lock)
        {
            target = _now + by.Ticks;
        }

        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                _now = Math.Max(_now, next.Due!.Value);
                next.Due = next.Period is { } period ? _now + period : null;
            }

            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; set; }

        public long? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
                owner.TimerArmedLocked();
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                Due = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
