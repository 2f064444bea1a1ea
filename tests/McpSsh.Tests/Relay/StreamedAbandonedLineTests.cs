using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): a streamed line is "ended with a bare newline so its reader's parser rejects it" when it turns out
/// malformed or too large. That only holds if what went before the newline is not already a whole JSON value.
/// When the damage (trailing garbage, bytes past the limit) comes after the value's closing brace and in a later
/// part, the reader gets a complete, valid message and ALSO the relay's error for the same id.
/// </summary>
public class StreamedAbandonedLineTests
{
    private const long Threshold = 4096;
    private readonly Pipe _stdin = new();
    private readonly StreamedRemoteFramesTests.HostStream _host = new();

    private sealed class PartChannel : IRemoteChannel
    {
        private readonly Pipe _output = new();
        private readonly StreamFrameSink _input;

        public PartChannel() => _input = new StreamFrameSink(Received);

        public StreamedRemoteFramesTests.HostStream Received { get; } = new();

        public bool CanHalfClose => true;

        public string CloseReason => "test remote closed";

        public bool CanSendParts => true;

        public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info) => _input.Write(frame);

        public void SendPart(ReadOnlySequence<byte> part) => _input.WritePart(part);

        public void EndPart(ReadOnlySequence<byte> last, in FrameInfo info) => _input.EndLine(last);

        public void AbandonPart() => _input.AbandonLine();

        public void CompleteInput()
        {
        }

        public Task<bool> DeliverOutputAsync(IFrameReceiver receiver) =>
            RawChannelOutput.ReadOnOwnThread(_output.Reader.AsStream(), "attack16 remote reader", receiver, static _ => { });

        public async Task RemoteWritesAsync(string text) => await _output.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

        public void RemoteEnds() => _output.Writer.Complete();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private Task<RelayResult> Start(IRemoteChannel channel, long maxFrameBytes = 1 << 24) =>
        new RelaySession(_stdin.Reader, new StreamFrameSink(_host), channel,
            new RelayOptions { MaxFrameBytes = maxFrameBytes, StreamAboveBytes = Threshold, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

    private Task HostWritesAsync(string text) => _stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    private static bool IsWholeJson(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int AnswersFor(string[] lines, int id) =>
        lines.Count(l => IsWholeJson(l) && JsonDocument.Parse(l).RootElement.TryGetProperty("id", out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.GetInt32() == id);

    private async Task CallAsync(PartChannel channel, int id, int linesBefore)
    {
        await HostWritesAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\"}}\n");
        await channel.Received.WaitUntilAsync(r => r.Lines.Length > linesBefore, "the call at the far end");
    }

    [Fact]
    public async Task RemoteAnswer_WholeJsonThenTrailingGarbageInALaterPart_HostMustNotGetAValidAnswerAndAnErrorForOneId()
    {
        var channel = new PartChannel();
        Task<RelayResult> run = Start(channel);
        await CallAsync(channel, 1, 0);

        string answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"text\":\"" + new string('a', 50_000) + "\"}}";
        await channel.RemoteWritesAsync(answer);
        await _host.WaitUntilAsync(h => h.Length >= answer.Length - 1, "the whole answer but its held closing brace streamed to the host");
        await channel.RemoteWritesAsync("x\n"); // trailing garbage: FrameInspector calls the whole line malformed

        await _host.WaitUntilAsync(h => h.Lines.Length >= 2, "the ended line and the error");
        string[] lines = _host.Lines;
        Assert.StartsWith("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":", lines[1]); // the relay judged the answer malformed...
        Assert.False(IsWholeJson(lines[0]), "the 'abandoned' line reached the host as a whole, valid JSON-RPC answer");
        Assert.Equal(1, AnswersFor(lines, 1)); // ...so the host has exactly one answer for id 1

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RemoteAnswer_TrailingSpacesTakeItPastTheLimit_HostMustNotGetAValidAnswerAndASizeErrorForOneId()
    {
        var channel = new PartChannel();
        Task<RelayResult> run = Start(channel, maxFrameBytes: 60_000);
        await CallAsync(channel, 2, 0);

        string answer = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"text\":\"" + new string('a', 50_000) + "\"}}";
        await channel.RemoteWritesAsync(answer);
        await _host.WaitUntilAsync(h => h.Length >= answer.Length - 1, "the whole answer but its held closing brace streamed to the host");
        await channel.RemoteWritesAsync(new string(' ', 20_000) + "\n"); // the line is now over --max-frame-bytes

        await _host.WaitUntilAsync(h => h.Lines.Length >= 2, "the ended line and the error");
        string[] lines = _host.Lines;
        Assert.Contains("--max-frame-bytes", lines[1], StringComparison.Ordinal);
        Assert.False(IsWholeJson(lines[0]), "the line cut at the limit reached the host as a whole, valid JSON-RPC answer");
        Assert.Equal(1, AnswersFor(lines, 2));

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task HostRequest_WholeJsonThenTrailingGarbageInALaterPart_FarEndMustNotGetAValidRequestTheHostIsToldWasNotDelivered()
    {
        var channel = new PartChannel();
        Task<RelayResult> run = Start(channel);

        string request = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":{\"data\":\"" + new string('a', 30_000) + "\"}}";
        await HostWritesAsync(request);
        await channel.Received.WaitUntilAsync(r => r.Length >= request.Length - 1, "the whole request but its held closing brace streamed to the far end");
        await HostWritesAsync("x\n");

        await _host.WaitUntilAsync(h => h.Lines.Length >= 1, "the error");
        Assert.Contains("not delivered", _host.Lines[0], StringComparison.Ordinal);
        await channel.Received.WaitUntilAsync(r => r.Lines.Length >= 1, "the ended line");
        // The host was told the request was not delivered; the far end must then not be able to run it.
        Assert.False(IsWholeJson(channel.Received.Lines[0]), "the far end got a whole, valid tools/call the host was told was cut off and not delivered");

        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
