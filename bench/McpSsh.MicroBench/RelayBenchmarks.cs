using System.Buffers;
using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using McpSsh.Relay;
using McpSsh.Resilience;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.MicroBench;

/// <summary>
/// One frame from the host to an echoing far end and back to the host, in memory: the relay's own cost per call
/// with no SSH and no process in between. "client threading" is what mcp-ssh runs: the host's input read inline,
/// the reconnect layer over the link, the link's output read inline; "thread-pool pipes" is the plain relay with
/// the remote side read by a thread-pool pump, as before the threading change.
/// </summary>
[MemoryDiagnoser]
public class RelayBenchmarks
{
    private Pipe _host = null!;
    private SignalSink _sink = null!;
    private CancellationTokenSource _stop = null!;
    private IRemoteChannel _channel = null!;
    private Task _run = null!;

    [Params("client threading", "thread-pool pipes")]
    public string Threading { get; set; } = "client threading";

    [GlobalSetup]
    public void Start()
    {
        _host = new Pipe(new PipeOptions(readerScheduler: PipeScheduler.Inline, pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false));
        _sink = new SignalSink();
        _stop = new CancellationTokenSource();
        _channel = Threading == "client threading"
            ? new ResilientChannel(new EchoChannel(inlineReader: true), _ => throw new InvalidOperationException("the echo link does not drop"),
                new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "echo" }, NullLogger.Instance)
            : new EchoChannel(inlineReader: false);
        var relay = new RelaySession(_host.Reader, _sink, _channel, new RelayOptions { Endpoint = "echo" }, NullLogger.Instance);
        _run = relay.RunAsync(_stop.Token);
    }

    [GlobalCleanup]
    public void Stop()
    {
        _stop.Cancel();
        _host.Writer.Complete();
        _run.Wait(TimeSpan.FromSeconds(10));
        _channel.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
    }

    [Benchmark(Description = "small frame round trip")]
    public void Small() => RoundTrip(Frames.SmallNotification);

    [Benchmark(Description = "4 MiB frame round trip")]
    public void Big() => RoundTrip(Frames.BigNotification);

    private void RoundTrip(byte[] frame)
    {
        _host.Writer.Write(frame);
        _host.Writer.Write("\n"u8);
        _host.Writer.FlushAsync().AsTask().GetAwaiter().GetResult();
        _sink.WaitForFrame();
    }
}
