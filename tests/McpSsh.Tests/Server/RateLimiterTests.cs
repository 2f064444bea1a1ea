using System.Net;
using McpSsh.Server.KeyServer;

namespace McpSsh.Tests.Server;

public class RateLimiterTests
{
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void TenPerMinutePerAddress_SlidingWindow()
    {
        var clock = new ManualClock();
        var limiter = new RateLimiter(10, clock);
        IPAddress a = IPAddress.Parse("127.0.0.1"), b = IPAddress.Parse("127.0.0.2");

        for (int i = 0; i < 10; i++)
        {
            Assert.True(limiter.TryAcquire(a));
            clock.Now += TimeSpan.FromSeconds(1);
        }

        Assert.False(limiter.TryAcquire(a));
        Assert.True(limiter.TryAcquire(b)); // another address has its own budget

        clock.Now += TimeSpan.FromSeconds(50); // 60 s after the first request: one slot is free again
        Assert.True(limiter.TryAcquire(a));
        Assert.False(limiter.TryAcquire(a));
    }
}
