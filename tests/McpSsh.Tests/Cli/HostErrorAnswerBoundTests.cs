using System.Text;
using McpSsh.Cli.Commands;

namespace McpSsh.Tests.Cli;

/// <summary>
/// A failed client must exit within its bound even when the host keeps sending requests (a host that retries
/// on every error, or pings in a loop): the follow-up answers are capped, so the process does not live on forever.
/// </summary>
public class HostErrorAnswerBoundTests
{
    /// <summary>stdin that never ends: every read returns one more request line.</summary>
    private sealed class EndlessRequests : Support.ReadOnlyTestStream
    {
        private static readonly byte[] Line = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n");

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, Line.Length);
            Array.Copy(Line, 0, buffer, offset, n);
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int n = Math.Min(buffer.Length, Line.Length);
            Line.AsSpan(0, n).CopyTo(buffer.Span);
            return ValueTask.FromResult(n);
        }
    }

    [Fact]
    public async Task Answer_HostThatNeverStopsSendingRequests_StopsAfterTheCap()
    {
        using var stdin = new EndlessRequests();
        using var stdout = new MemoryStream();

        int answered = await HostErrorAnswer.AnswerRequestsAsync(stdin, stdout, "mcp-ssh: refused", TimeSpan.FromSeconds(5), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HostErrorAnswer.MaxAnswers, answered);
        Assert.Equal(HostErrorAnswer.MaxAnswers, Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
