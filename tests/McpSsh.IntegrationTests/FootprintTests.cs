using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>What an idle connected client holds (issue 16): threads it does not need are not started.</summary>
[Collection(SshdCollection.Name)]
public class FootprintTests(SshdFixture sshd)
{
    private const string SocketThreads = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    [Fact]
    public async Task ConnectedClient_HasOneSocketEventThread()
    {
        await using RawMcpSsh run = await StartConnectedAsync(null);

        // Inline socket completions made .NET start one epoll thread per core for the client's one socket.
        Assert.Equal(1, SocketEventThreads(run.Pid));
    }

    [Fact]
    public async Task ConnectedClient_KeepsTheSocketThreadCountTheUserSet()
    {
        await using RawMcpSsh run = await StartConnectedAsync(new Dictionary<string, string> { [SocketThreads] = "3" });

        Assert.Equal(3, SocketEventThreads(run.Pid));
    }

    private async Task<RawMcpSsh> StartConnectedAsync(IDictionary<string, string>? environment)
    {
        RawMcpSsh run = RawMcpSsh.Start(McpSshRun.Args(sshd, sshd.TestServerKey), environment);
        await run.WriteLineAsync(RawMcpSsh.Initialize);
        JsonElement init = await run.ReadMessageAsync();
        Assert.Equal(1, init.GetProperty("id").GetInt32());
        return run;
    }

    /// <summary>.NET names its epoll threads ".NET Sockets" (/proc/PID/task/TID/comm).</summary>
    private static int SocketEventThreads(int pid) =>
        Directory.EnumerateDirectories($"/proc/{pid}/task").Count(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == ".NET Sockets");
}
