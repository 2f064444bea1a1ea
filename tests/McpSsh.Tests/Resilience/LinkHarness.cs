using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
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

/// <summary>
/// The relay's side of a channel in these tests: it takes what the channel delivers as lines in a pipe the test
/// reads (<see cref="Lines"/>), and notes each frame's inspection and each end of burst.
/// </summary>
internal sealed class HostLines : IFrameReceiver
{
    private readonly Pipe _lines = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));

    public PipeReader Lines => _lines.Reader;

    /// <summary>"Kind method-or-id valid | text" per frame, "oversized | head" per oversized line, in order.</summary>
    public Channel<string> Seen { get; } = Channel.CreateUnbounded<string>();

    public int Bursts;

    public int Frames;

    /// <summary>False: the host is gone, the frame is refused and delivery stops.</summary>
    public bool Accepting { get; set; } = true;

    public long MaxFrameBytes { get; init; } = 1 << 20;

    /// <summary>As the relay does: an answer takes its request out of the in-flight table.</summary>
    public InFlightRequests? InFlight { get; init; }

    public bool OnFrame(ReadOnlySequence<byte> frame, in FrameInspection inspection)
    {
        Interlocked.Increment(ref Frames);
        if (!Accepting)
        {
            return false;
        }

        if (inspection.IsValid && inspection.Info.Kind == FrameKind.Response)
        {
            InFlight?.Remove(inspection.Info.Id!);
        }

        Seen.Writer.TryWrite($"{inspection.Info.Kind} {inspection.Info.Method ?? inspection.Info.Id} {inspection.IsValid} | {Encoding.UTF8.GetString(frame)}");
        foreach (ReadOnlyMemory<byte> segment in frame)
        {
            _lines.Writer.Write(segment.Span);
        }

        _lines.Writer.Write("\n"u8);
        _lines.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        return true;
    }

    public bool OnOversized(ReadOnlySequence<byte> head)
    {
        Seen.Writer.TryWrite($"oversized | {Encoding.UTF8.GetString(head)}");
        return Accepting;
    }

    public void EndOfBurst() => Interlocked.Increment(ref Bursts);

    /// <summary>Starts delivery from <paramref name="channel"/> to here; <see cref="Lines"/> completes when it ends.</summary>
    public Task<bool> Take(IRemoteChannel channel)
    {
        Task<bool> done = channel.DeliverOutputAsync(this);
        done.ContinueWith(_ => _lines.Writer.Complete(), TaskScheduler.Default);
        return done;
    }
}

/// <summary>What the host side of a <see cref="ResilientChannel"/> does in these tests: send frames, read output lines.</summary>
internal static class LinkHarness
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly ConditionalWeakTable<ResilientChannel, HostLines> s_hosts = [];

    /// <summary>As the relay does first: the channel delivers its output to a <see cref="HostLines"/> from now on.</summary>
    public static ResilientChannel Delivering(ResilientChannel channel)
    {
        var host = new HostLines { InFlight = channel.InFlight };
        s_hosts.Add(channel, host);
        host.Take(channel);
        return channel;
    }

    public static HostLines HostOf(ResilientChannel channel) => s_hosts.TryGetValue(channel, out HostLines? host) ? host : throw new InvalidOperationException("create the channel with LinkHarness.Delivering");

    extension(ResilientChannel channel)
    {
        /// <summary>The lines the channel delivered to the host (see <see cref="Delivering"/>).</summary>
        public PipeReader Output => HostOf(channel).Lines;
    }

    public static void Send(ResilientChannel channel, string json)
    {
        var frame = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json));
        FrameInspection inspection = FrameInspector.Inspect(frame, captureMethod: true);
        Assert.True(inspection.IsValid, json);
        NoteInFlight(channel, inspection.Info);
        channel.SendFrame(frame, inspection.Info);
        channel.EndOfBurst();
    }

    /// <summary>As the relay does before it sends a frame: a request is in flight, a cancellation takes its request out.</summary>
    public static void NoteInFlight(ResilientChannel channel, in FrameInfo info)
    {
        if (info.Kind == FrameKind.Request)
        {
            channel.InFlight.Add(info.Id!, longLived: info.Method == McpMethods.Listen);
        }
        else if (info.CancelledRequestId is { } cancelled)
        {
            channel.InFlight.Remove(cancelled);
        }
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
