using System.IO.Pipes;
using System.Net.Sockets;

namespace McpSsh.Ssh.Agent;

/// <summary>
/// How an agent is reached, the one OS difference of the agent code: a Unix socket (OpenSSH's ssh-agent,
/// 1Password, Secretive, gpg-agent) or, on Windows, a named pipe (OpenSSH for Windows: <c>\\.\pipe\openssh-ssh-agent</c>).
/// </summary>
public static class AgentTransport
{
    public const string WindowsDefaultPipe = @"\\.\pipe\openssh-ssh-agent";

    private const string PipePrefix = @"\\.\pipe\";

    /// <summary>Where the agent is when nothing names one: <c>SSH_AUTH_SOCK</c>, else Windows' pipe, else none.</summary>
    public static string? DefaultPath(Func<string, string?> environment, bool isWindows) =>
        environment("SSH_AUTH_SOCK") is { Length: > 0 } socket ? socket
        : isWindows ? WindowsDefaultPipe
        : null;

    public static bool IsNamedPipe(string path) =>
        path.StartsWith(PipePrefix, StringComparison.OrdinalIgnoreCase) || path.StartsWith("//./pipe/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Connects within <paramref name="timeout"/>; the stream is the agent's conversation.</summary>
    public static Stream Connect(string path, TimeSpan timeout)
    {
        if (IsNamedPipe(path))
        {
            var pipe = new NamedPipeClientStream(".", path[PipePrefix.Length..], PipeDirection.InOut);
            try
            {
                pipe.Connect((int)timeout.TotalMilliseconds);
                return pipe;
            }
            catch
            {
                pipe.Dispose();
                throw;
            }
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
        {
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
