using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using McpSsh.JsonRpc;
using McpSsh.Relay;
using McpSsh.Resilience;
using McpSsh.Tests.Resilience;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): StreamFrameSink.Close waits (Monitor.Wait) for an open streamed line to end, but only the writer that
/// opened it can end it. ExecChannel, OpenSshChannel and BackendProcess all end their input with
/// <c>CompleteInput() =&gt; _input.Close()</c> (ExecChannel.DisposeAsync calls it too). When the host's line is left
/// open (SIGTERM or a broken stdin mid-line; a link lost mid-line), nobody ends it, and Close blocks for good.
/// <see cref="ExecLikeChannel"/> is ExecChannel's input handling line for line, over an in-memory stream.
/// </summary>
public class CloseMidLineTests
{
    private const string LineStart = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"d\":\"";

    /// <summary>ExecChannel's input side (src/McpSsh.Ssh/Connection/ExecChannel.cs), with its output a pipe the test writes.</summary>
    private sealed class ExecLikeChannel : IRemoteChannel
    {
        private readonly Pipe _output = new();
        private readonly StreamFrameSink _input;

        public ExecLikeChannel() => _input = new StreamFrameSink(Stdin);

        /// <summary>What the far end read from its stdin.</summary>
        public StreamedRemoteFramesTests.HostStream Stdin { get; } = new();

        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool CanHalfClose => true;

        public string CloseReason => "test exec closed";

        public Task<bool> DeliverOutputAsync(IFrameReceiver receiver) =>
            RawChannelOutput.ReadOnOwnThread(_output.Reader.AsStream(), "attack16b exec reader", receiver, static _ => { });

        public void SendFrame(ReadOnlySequence<byte> frame, in FrameInfo info) => _input.Write(frame);

        public bool CanSendParts => true;

        public void SendPart(ReadOnlySequence<byte> part) => _input.WritePart(part);

        public void EndPart(ReadOnlySequence<byte> last, in FrameInfo info) => _input.EndLine(last);

        public void AbandonPart() => _input.AbandonLine();

        public void CompleteInput() => _input.Close();

        public void RemoteEnds() => _output.Writer.Complete();

        public ValueTask DisposeAsync()
        {
            CompleteInput(); // as ExecChannel.DisposeAsync: then the command and the SSH link are disposed
            Disposed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task StopMidHostLine_TheRelayEnds_InsteadOfWaitingForALineNobodyWillEnd()
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var exec = new ExecLikeChannel();
        using var stop = new CancellationTokenSource();
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), exec,
            new RelayOptions { StreamAboveBytes = 1024, Endpoint = "host:22", DrainTimeout = TimeSpan.FromSeconds(1) },
            NullLogger.Instance).RunAsync(stop.Token);

        // The host is half-way through a large request; the far end has its first part.
        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(LineStart + new string('a', 5000)));
        await exec.Stdin.WaitUntilAsync(s => s.Length >= 4000, "the first part of the host's line at the far end");

        stop.Cancel(); // SIGTERM
        await run.WaitAsync(LinkHarness.Wait); // before the fix: never (CompleteInput waited for the open line)
        AssertLineEndedUnparsable(exec.Stdin.Text);
    }

    [Fact]
    public async Task BrokenStdinMidHostLine_TheRelayEnds_InsteadOfWaitingForALineNobodyWillEnd()
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var exec = new ExecLikeChannel();
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), exec,
            new RelayOptions { StreamAboveBytes = 1024, Endpoint = "host:22", DrainTimeout = TimeSpan.FromSeconds(1) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

        await stdin.Writer.WriteAsync(Encoding.UTF8.GetBytes(LineStart + new string('a', 5000)));
        await exec.Stdin.WaitUntilAsync(s => s.Length >= 4000, "the first part of the host's line at the far end");

        stdin.Writer.Complete(new IOException("stdin broke")); // PumpHostAsync: "stdin broke: the host is gone, same as EOF"
        await run.WaitAsync(LinkHarness.Wait); // before the fix: never (CompleteInput waited for the open line)
        AssertLineEndedUnparsable(exec.Stdin.Text);
    }

    [Fact]
    public async Task ALinkLostMidHostLine_IsDisposed_InsteadOfItsCloseWaitingForGood()
    {
        var exec = new ExecLikeChannel();
        var connector = new LinkConnector();
        var channel = LinkHarness.Delivering(new ResilientChannel(exec, connector.ConnectAsync,
            new ResilienceOptions { Keepalive = TimeSpan.Zero, Endpoint = "host:22" }, NullLogger.Instance));

        channel.SendPart(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(LineStart + new string('a', 5000))));
        await exec.Stdin.WaitUntilAsync(s => s.Length >= 4000, "the first part of the host's line at the far end");

        exec.RemoteEnds(); // the link is lost (its output ended) while the host's line is open on it
        await connector.AttemptedAsync(1); // the loss was seen: OnLinkLost disposed the link (Task.Run)
        // Before the fix: never (Close waited for the host line the link left open; its SSH client was never disposed).
        await exec.Disposed.Task.WaitAsync(LinkHarness.Wait);
        AssertLineEndedUnparsable(exec.Stdin.Text);
        await channel.DisposeAsync();
    }

    /// <summary>The far end's line was ended, without the closing brace: its parser rejects it.</summary>
    private static void AssertLineEndedUnparsable(string stdin)
    {
        Assert.EndsWith("aaa\n", stdin, StringComparison.Ordinal);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => System.Text.Json.JsonDocument.Parse(stdin.TrimEnd('\n')));
    }
}
