namespace McpSsh.Ssh;

/// <summary>
/// Runs socket completions on .NET's epoll thread instead of queueing them to the thread pool. SSH.NET's
/// listener thread does blocking receives on a socket .NET drives through epoll, so by default every packet
/// travels epoll thread → thread pool → listener; inline, the epoll thread wakes the listener itself (the
/// largest single cost in the relay's per-call latency, see docs/benchmarks.md).
/// </summary>
/// <remarks>
/// Safe only where no socket continuation blocks: the epoll thread then serves every socket in the process.
/// That is why <see cref="SshConnector"/> runs SSH.NET's (blocking) connect on a thread of its own, and why jump
/// hosts go without it (SSH.NET's ForwardedPortLocal blocks in its accept completion). Must be
/// called before the first socket exists; a value the user set explicitly is kept.
/// Inline, .NET starts one epoll thread per core (it assumes a server with many sockets); the client has one
/// socket, which lives on one epoll thread, so the others only waited: one is asked for (issue 16, a thread less).
/// </remarks>
public static class SocketCompletions
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private const string ThreadCount = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    public static void RunInline()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, "1");
        }

        if (Environment.GetEnvironmentVariable(ThreadCount) is null)
        {
            Environment.SetEnvironmentVariable(ThreadCount, "1");
        }
    }
}
