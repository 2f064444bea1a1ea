using System.IO.Pipelines;
using System.Text;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>
/// Issue 16: a remote line above the streaming threshold reaches the host as it arrives (through the real
/// <see cref="StreamFrameSink"/>), and one that turns out malformed or too large mid-way ends the host's line
/// there, is answered with the usual error for its id, and the session goes on.
/// </summary>
public class StreamedRemoteFramesTests
{
    private const long Threshold = 4096;
    private readonly Pipe _stdin = new();
    private readonly HostStream _host = new();

    /// <summary>The host's stdout: every byte written, and an event per write to wait on.</summary>
    internal sealed class HostStream : Stream
    {
        private readonly MemoryStream _all = new();
        private readonly SemaphoreSlim _written = new(0);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length
        {
            get
            {
                lock (_all)
                {
                    return _all.Length;
                }
            }
        }

        public override long Position { get => Length; set => throw new NotSupportedException(); }

        public string Text
        {
            get
            {
                lock (_all)
                {
                    return Encoding.UTF8.GetString(_all.ToArray());
                }
            }
        }

        public string[] Lines => Text.Split('\n')[..^1];

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            lock (_all)
            {
                _all.Write(buffer);
            }

            _written.Release();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        /// <summary>Waits (bounded) until <paramref name="condition"/> holds, woken by each write.</summary>
        public async Task WaitUntilAsync(Func<HostStream, bool> condition, string what)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (!condition(this))
            {
                try
                {
                    await _written.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    Assert.Fail($"timed out waiting for {what}; the host has: {Text[..Math.Min(Text.Length, 300)]}");
                }
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private Task<RelayResult> Start(InMemoryChannel channel, long maxFrameBytes = 1 << 24) =>
        new RelaySession(_stdin.Reader, new StreamFrameSink(_host), channel,
            new RelayOptions { MaxFrameBytes = maxFrameBytes, StreamAboveBytes = Threshold, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

    private async Task CallAsync(InMemoryChannel channel, string id)
    {
        await _stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\"}}\n"));
        Assert.Contains($"\"id\":{id}", await channel.NextSentAsync(), StringComparison.Ordinal);
    }

    private async Task<string> NextCallWorksAsync(InMemoryChannel channel, int lineCount)
    {
        await CallAsync(channel, "99");
        await channel.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}\n");
        await _host.WaitUntilAsync(h => h.Lines.Length >= lineCount, "the next answer");
        return _host.Lines[lineCount - 1];
    }

    [Fact]
    public async Task ALargeValidAnswer_ReachesTheHostByteIdentical_BeforeItsLastByteArrived()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Start(channel);
        await CallAsync(channel, "1");

        string text = string.Concat(Enumerable.Repeat("é€😀 \\\"x\\\" \\u00e9\\n", 20_000));
        string answer = "{\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"}]},\"jsonrpc\":\"2.0\",\"id\":1}";
        int half = answer.Length / 2;
        await channel.RemoteWritesAsync(answer[..half]);
        // Streamed: most of the first half is on the host's stdout while the rest has not even been written.
        await _host.WaitUntilAsync(h => h.Length > Encoding.UTF8.GetByteCount(answer[..half]) - Threshold - (64 * 1024), "the first half of the answer");
        Assert.DoesNotContain('\n', _host.Text);

        await channel.RemoteWritesAsync(answer[half..] + "\n");
        await _host.WaitUntilAsync(h => h.Lines.Length >= 1, "the whole answer");
        Assert.Equal(answer, _host.Lines[0]);

        channel.RemoteEnds();
        Assert.Equal(0, (await run.WaitAsync(TimeSpan.FromSeconds(10))).FailedRequests); // the answer counted
    }

    [Fact]
    public async Task MalformedMidWay_EndsTheHostsLine_AnswersTheId_AndTheSessionGoesOn()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Start(channel);
        await CallAsync(channel, "5");

        string head = "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"text\":\"" + new string('a', 50_000);
        await channel.RemoteWritesAsync(head);
        await _host.WaitUntilAsync(h => h.Length > 10_000, "the start of the answer");
        await channel.RemoteWritesAsync("\u0001" + new string('b', 50_000) + "\"}}\n"); // a raw control character: not JSON

        await _host.WaitUntilAsync(h => h.Lines.Length >= 2, "the ended line and the error");
        string[] lines = _host.Lines;
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"text\":\"aaaa", lines[0]);
        Assert.DoesNotContain("b", lines[0], StringComparison.Ordinal); // nothing after the damage went on
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":5,\"error\":{\"code\":-32603,", lines[1]);
        Assert.Contains("malformed answer", lines[1], StringComparison.Ordinal);

        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}", await NextCallWorksAsync(channel, 3));
        channel.RemoteEnds();
        Assert.Equal(0, (await run.WaitAsync(TimeSpan.FromSeconds(10))).FailedRequests);
    }

    [Fact]
    public async Task InvalidUtf8MidWay_WithTheIdLast_IsAnsweredWithThatId()
    {
        // The TypeScript SDK writes {"result":...,"jsonrpc":"2.0","id":N}: the id comes after the damage.
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Start(channel);
        await CallAsync(channel, "7");

        await channel.RemoteWritesAsync("{\"result\":{\"text\":\"" + new string('a', 30_000));
        await _host.WaitUntilAsync(h => h.Length > 10_000, "the start of the answer");
        await channel.RemoteWritesAsync([0xFF, .. Encoding.UTF8.GetBytes(new string('b', 30_000) + "\"},\"jsonrpc\":\"2.0\",\"id\":7}\n")]);

        await _host.WaitUntilAsync(h => h.Lines.Length >= 2, "the ended line and the error");
        Assert.StartsWith("{\"result\":{\"text\":\"aaa", _host.Lines[0]);
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32603,", _host.Lines[1]);
        Assert.Contains("invalid UTF-8", _host.Lines[1], StringComparison.Ordinal);

        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}", await NextCallWorksAsync(channel, 3));
        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task OverTheLimitMidWay_EndsTheHostsLine_AnswersWithTheSizeError_AndTheSessionGoesOn()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Start(channel, maxFrameBytes: 100_000);
        await CallAsync(channel, "\"big\"");

        await channel.RemoteWritesAsync("{\"result\":{\"text\":\"" + new string('a', 250_000) + "\"},\"jsonrpc\":\"2.0\",\"id\":\"big\"}\n");

        await _host.WaitUntilAsync(h => h.Lines.Length >= 2, "the ended line and the error");
        Assert.InRange(_host.Lines[0].Length, Threshold, 100_000); // ended at the limit, not carried on
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":\"big\",\"error\":{\"code\":-32603,", _host.Lines[1]);
        Assert.Contains("--max-frame-bytes", _host.Lines[1], StringComparison.Ordinal);

        Assert.Equal("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}", await NextCallWorksAsync(channel, 3));
        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RemoteEndsMidLine_TheHostsLineIsEnded_AndTheRequestGetsConnectionClosed()
    {
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = Start(channel);
        await CallAsync(channel, "3");

        await channel.RemoteWritesAsync("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"text\":\"" + new string('a', 40_000));
        await _host.WaitUntilAsync(h => h.Length > 20_000, "the start of the answer");
        channel.RemoteEnds();

        RelayResult result = await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, result.FailedRequests);
        string[] lines = _host.Lines;
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\"", lines[0]);
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32000,", lines[1]);
    }
}
