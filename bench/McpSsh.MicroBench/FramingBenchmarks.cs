using System.Buffers;
using BenchmarkDotNet.Attributes;
using McpSsh.Framing;
using McpSsh.JsonRpc;

namespace McpSsh.MicroBench;

/// <summary>Splitting lines and checking frames: the per-frame work of each relay direction.</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private readonly ReadOnlySequence<byte> _burst = new(Frames.Burst);
    private readonly ReadOnlySequence<byte> _small = new(Frames.Small);
    private readonly ReadOnlySequence<byte> _big = new(Frames.Big);
    private readonly byte[] _bigLine = [.. Frames.Big, (byte)'\n'];

    [Benchmark(Description = "split 200 small frames from one read")]
    public int SplitBurst()
    {
        var reader = new LineFrameReader(64L * 1024 * 1024);
        ReadOnlySequence<byte> buffer = _burst;
        int frames = 0;
        while (reader.TryRead(ref buffer, out _) == FrameReadStatus.Frame)
        {
            frames++;
        }

        return frames;
    }

    [Benchmark(Description = "find the end of a 4 MiB frame arriving in 64 KiB reads")]
    public long SplitBigInReads()
    {
        var reader = new LineFrameReader(64L * 1024 * 1024);
        for (int end = 64 * 1024; ; end = Math.Min(end + (64 * 1024), _bigLine.Length))
        {
            // The pipe hands back everything not consumed plus the new bytes; the reader remembers how far it looked.
            var buffer = new ReadOnlySequence<byte>(_bigLine, 0, end);
            if (reader.TryRead(ref buffer, out ReadOnlySequence<byte> frame) == FrameReadStatus.Frame)
            {
                return frame.Length;
            }
        }
    }

    [Benchmark(Description = "inspect a small request")]
    public bool InspectSmall() => FrameInspector.Inspect(_small, captureMethod: true).IsValid;

    [Benchmark(Description = "inspect a 4 MiB request (one JSON pass)")]
    public bool InspectBig() => FrameInspector.Inspect(_big, captureMethod: true).IsValid;
}
