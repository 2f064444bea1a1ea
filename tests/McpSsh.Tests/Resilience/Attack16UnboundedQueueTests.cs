using System.Text;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using Microsoft.Extensions.Logging.Abstractions;
using static McpSsh.Tests.Resilience.LinkHarness;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// attack16: memory while the far end stops reading. A streamed host line is bounded (the host's reader waits
/// beyond 256 KiB unwritten); whole frames just under the streaming threshold are not: each is copied into the
/// link writer's queue, so a host that keeps sending grows the process by the sum of its messages.
/// </summary>
public class Attack16UnboundedQueueTests
{
    [Fact]
    public async Task FramesJustUnderTheThreshold_ToAFarEndThatStoppedReading_DoNotQueueWithoutBound()
    {
        var first = new InMemoryChannel(canHalfClose: false) { TakesParts = true };
        using var gate = new SemaphoreSlim(0);
        first.WriteGate = gate; // the far end stops reading: every write to it blocks
        var options = new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" };
        await using var channel = Delivering(new ResilientChannel(first, new LinkConnector().ConnectAsync, options, NullLogger.Instance));

        const int frames = 100;
        string payload = new('a', 200_000); // each frame ~200 KB: under the 256 KiB threshold, so whole
        Task sending = Task.Run(() =>
        {
            for (int i = 0; i < frames; i++)
            {
                Send(channel, $"{{\"jsonrpc\":\"2.0\",\"method\":\"notifications/blob\",\"params\":{{\"n\":{i},\"d\":\"{payload}\"}}}}");
            }
        });

        Assert.True(await first.WriteStarted.WaitAsync(Wait)); // the first write is stuck at the far end
        // A deadline, not a synchronisation: the sender either is held back (bounded) or gets all 20 MB queued.
        bool allAccepted = await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(5))) == sending;
        int taken = Volatile.Read(ref first.Writes);
        gate.Release(1000);
        Assert.False(allAccepted, $"all {frames} frames (~{frames * payload.Length / 1_000_000} MB) were accepted and held in memory while the far end had taken {taken} write(s)");
    }
}
