using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using McpSsh.Resilience;

namespace McpSsh.Tests.Resilience;

/// <summary>Links (or failures) handed out in order by the test, as a connector would: each reconnect takes the next one.</summary>
internal sealed class LinkConnector
{
    private readonly Channel<Func<IRemoteChannel>> _next = Channel.CreateUnbounded<Func<IRemoteChannel>>();
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waits = [];
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public void Succeed(IRemoteChannel link) => _next.Writer.TryWrite(() => link);

    public void Fail(Exception ex) => _next.Writer.TryWrite(() => throw ex);

    /// <summary>Completes once the channel has tried to connect <paramref name="count"/> times (bounded by <see cref="LinkHarness.Wait"/>).</summary>
    public Task AttemptedAsync(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_attempts >= count)
            {
                return Task.CompletedTask;
            }

            _waits.Add((count, reached));
        }

        return reached.Task.WaitAsync(LinkHarness.Wait);
    }

    public async Task<IRemoteChannel> ConnectAsync(CancellationToken token)
    {
        lock (_lock)
        {
            int attempts = Interlocked.Increment(ref _attempts);
            _waits.RemoveAll(w => attempts >= w.Count && w.Reached.TrySetResult());
        }

        Func<IRemoteChannel> next = await _next.Reader.ReadAsync(token);
        return next();
    }
}

/// <summary>What the host side of a <see cref="ResilientChannel"/> does in these tests: send frames, read output lines.</summary>
internal static class LinkHarness
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static void Send(ResilientChannel channel, string json)
    {
        var frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json));
        FrameInspection inspection = FrameInspector.Inspect(frame, captureMethod: true);
        Assert.True(inspection.IsValid, json);
        channel.SendFrame(frame, inspection.Info);
        channel.EndOfBurst();
    }

    public static async Task<string> NextLineAsync(PipeReader reader)
    {
        using var timeout = new CancellationTokenSource(Wait);
        while (true)
        {
            ReadResult result = await reader.ReadAsync(timeout.Token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (buffer.PositionOf((byte)'\n') is { } end)
            {
                string line = Encoding.UTF8.GetString(buffer.Slice(0, end));
                reader.AdvanceTo(buffer.GetPosition(1, end));
                return line;
            }

            Assert.False(result.IsCompleted, "the output ended");
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>True if a complete line is already buffered, without taking it.</summary>
    public static bool HasLine(PipeReader reader)
    {
        if (!reader.TryRead(out ReadResult result))
        {
            return false;
        }

        bool line = result.Buffer.PositionOf((byte)'\n') is not null;
        reader.AdvanceTo(result.Buffer.Start);
        return line;
    }
}
