using System.Text;
using McpSsh.Resilience;
using McpSsh.Tests.Relay;
using Microsoft.Extensions.Logging.Abstractions;
using static McpSsh.Tests.Resilience.LinkHarness;

namespace McpSsh.Tests.Resilience;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): memory while the far end stops reading. A streamed host line is bounded (the host's reader waits
/// beyond 256 KiB unwritten); whole frames just under the streaming threshold are not: each is copied into the
/// link writer's queue, so a host that keeps sending grows the process by the sum of its messages.
/// </summary>
public class LinkQueueBoundTests
{
    [Fact]
    public async Task FramesJustUnderTheThreshold_ToASlowFarEnd_AreHeldBack_NotQueuedWithoutBound()
    {
        var first = new InMemoryChannel(canHalfClose: false) { TakesParts = true };
        using var gate = new SemaphoreSlim(0);
        first.WriteGate = gate; // every write to the far end waits until the test lets it through
        var options = new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" };
        await using var channel = Delivering(new ResilientChannel(first, new LinkConnector().ConnectAsync, options, NullLogger.Instance));

        const int frames = 100;
        string payload = new('a', 200_000); // each frame ~200 KB: under the 256 KiB threshold, so whole
        int mostAhead = 0;
        Task sending = Task.Run(() =>
        {
            for (int i = 0; i < frames; i++)
            {
                Send(channel, $"{{\"jsonrpc\":\"2.0\",\"method\":\"notifications/blob\",\"params\":{{\"n\":{i},\"d\":\"{payload}\"}}}}");
                // Frames the host got rid of that the far end has not begun to take: what the process holds.
                mostAhead = Math.Max(mostAhead, i + 1 - Volatile.Read(ref first.Writes));
            }
        });

        // The far end takes one write at a time, each only once it has started (it reads slowly, never stops).
        while (!sending.IsCompleted)
        {
            Task<bool> started = first.WriteStarted.WaitAsync(Wait);
            if (await Task.WhenAny(started, sending) == started)
            {
                Assert.True(await started, "the far end was never written to");
                gate.Release();
            }
        }

        gate.Release(frames);
        await sending;
        // Bounded: the frame being written, at most 256 KiB queued (one of these) and the one being handed over.
        // Unbounded, the host's sender gets every frame queued while the far end takes its first writes.
        Assert.True(mostAhead <= 3, $"{mostAhead} frames (~{mostAhead * payload.Length / 1_000_000} MB) were accepted and held in memory ahead of a far end that takes one write at a time");
    }
}
