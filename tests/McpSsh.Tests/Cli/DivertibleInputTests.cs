using System.IO.Pipelines;
using System.Text;
using McpSsh.Cli.Commands;

namespace McpSsh.Tests.Cli;

public class DivertibleInputTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private static Task<int> ReadOnThread(Stream stream, byte[] buffer) => Task.Factory.StartNew(() => stream.Read(buffer, 0, buffer.Length), TaskCreationOptions.LongRunning);

    private static async Task<string> ReadLateAsync(Stream late, int bytes)
    {
        var text = new StringBuilder();
        byte[] buffer = new byte[64];
        while (text.Length < bytes)
        {
            int read = await late.ReadAsync(buffer).AsTask().WaitAsync(s_bound);
            Assert.True(read > 0, $"ended after '{text}'");
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }

    [Fact]
    public async Task BeforeDivert_ReadsPassThrough()
    {
        var stdin = new Pipe();
        var input = new DivertibleInput(stdin.Reader.AsStream());
        await stdin.Writer.WriteAsync("{\"id\":1}\n"u8.ToArray());

        byte[] buffer = new byte[64];
        int read = await ReadOnThread(input, buffer).WaitAsync(s_bound);

        Assert.Equal("{\"id\":1}\n", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task Divert_RelayReaderGetsEof_AndLateStreamGetsWhatItWasWaitingForThenTheRest()
    {
        var stdin = new Pipe();
        var input = new DivertibleInput(stdin.Reader.AsStream());
        Task<int> relayRead = ReadOnThread(input, new byte[64]); // blocked on stdin (or not yet started: same outcome)

        Stream late = input.Divert();
        await stdin.Writer.WriteAsync("late-1\n"u8.ToArray());

        Assert.Equal(0, await relayRead.WaitAsync(s_bound));
        Assert.Equal("late-1\n", await ReadLateAsync(late, 7));
        await stdin.Writer.WriteAsync("late-2\n"u8.ToArray());
        Assert.Equal("late-2\n", await ReadLateAsync(late, 7));
        Assert.Equal(0, input.Read(new byte[8], 0, 8)); // the relay's reader stays at EOF
    }

    [Fact]
    public async Task Divert_StdinEndsUnderTheRelayReader_LateStreamEndsToo()
    {
        var stdin = new Pipe();
        var input = new DivertibleInput(stdin.Reader.AsStream());
        Task<int> relayRead = ReadOnThread(input, new byte[64]);

        Stream late = input.Divert();
        await stdin.Writer.CompleteAsync();

        Assert.Equal(0, await relayRead.WaitAsync(s_bound));
        Assert.Equal(0, await late.ReadAsync(new byte[8]).AsTask().WaitAsync(s_bound));
    }
}
