using System.IO.Pipelines;
using System.Text;
using McpSsh.Relay;
using Microsoft.Extensions.Logging.Abstractions;

namespace McpSsh.Tests.Relay;

/// <summary>
/// Guards a defect an attack on issue 16 found (fixed since): a blank line (only spaces) is skipped by the whole-frame path (LineFrameReader.IsBlank); a long one is
/// streamed instead: its spaces go to the host part by part and the line is then "abandoned" with a newline, so the
/// host's parser gets a line of hundreds of KB of spaces it must reject.
/// </summary>
public class StreamedBlankLineTests
{
    [Theory]
    [InlineData(long.MaxValue)] // whole
    [InlineData(4096L)] // streamed (the spaces reached the host before the fix)
    public async Task ALongBlankLineFromTheServer_IsSkipped_AsAShortOneIs(long streamAbove)
    {
        var stdin = new Pipe();
        var host = new StreamedRemoteFramesTests.HostStream();
        var channel = new InMemoryChannel(canHalfClose: true);
        Task<RelayResult> run = new RelaySession(stdin.Reader, new StreamFrameSink(host), channel,
            new RelayOptions { StreamAboveBytes = streamAbove, Endpoint = "example:22", DrainTimeout = TimeSpan.FromSeconds(30) },
            NullLogger.Instance).RunAsync(CancellationToken.None);

        await channel.RemoteWritesAsync(new string(' ', 300_000) + "\n{\"jsonrpc\":\"2.0\",\"method\":\"notifications/after\"}\n");
        await host.WaitUntilAsync(h => h.Text.Contains("notifications/after", StringComparison.Ordinal), "the notification after the blank line");
        Assert.Equal(["{\"jsonrpc\":\"2.0\",\"method\":\"notifications/after\"}"], host.Lines.Select(l => l.Length > 80 ? $"<{l.Length} bytes of spaces>" : l));
        channel.RemoteEnds();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
