using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using McpSsh.Ssh;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// Name resolution, the TCP connect and the server's SSH identification line, each on its own and timed; the
/// failure sentences are the client's (<c>ConnectErrors</c>) so the doctor and the client say the same thing.
/// </summary>
internal sealed class NetworkChecks(SshConnectOptions ssh)
{
    private IPAddress[] _addresses = [];

    public async Task<DoctorStep> ResolveAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(ssh.ConnectTimeout);
            _addresses = IPAddress.TryParse(ssh.Host, out IPAddress? literal) ? [literal] : await Dns.GetHostAddressesAsync(ssh.Host, deadline.Token);
            if (_addresses.Length == 0)
            {
                throw new SocketException((int)SocketError.HostNotFound);
            }

            return new DoctorStep("resolve", DoctorStatus.Ok, clock.Elapsed.TotalMilliseconds, $"{ssh.Host} → {string.Join(", ", _addresses.Select(a => a.ToString()))}");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !stop.IsCancellationRequested)
        {
            return Failed("resolve", clock, $"cannot resolve host name '{ssh.Host}'. Check --host (or HostName in ssh_config)", ExitCodes.Unreachable);
        }
    }

    /// <summary>Connects, reads the server's identification line, and closes (the server logs a pre-auth close).</summary>
    public async Task<(DoctorStep Tcp, DoctorStep Version)> ConnectAsync(CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using var socket = new Socket(_addresses[0].AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(ssh.ConnectTimeout);
        DoctorStep tcp;
        try
        {
            await socket.ConnectAsync(new IPEndPoint(_addresses[0], ssh.Port), deadline.Token);
            tcp = new DoctorStep("tcp", DoctorStatus.Ok, clock.Elapsed.TotalMilliseconds, $"connected to {new IPEndPoint(_addresses[0], ssh.Port)}");
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return (Failed("tcp", clock, $"connection refused by {ssh.Endpoint}: no SSH server is listening there. Check --host and --port, and that the server (mcp-ssh serve or sshd) is running", ExitCodes.Unreachable), Skipped("ssh"));
        }
        catch (SocketException ex)
        {
            return (Failed("tcp", clock, $"cannot reach {ssh.Endpoint}: {ex.Message}. Check --host, --port and the network", ExitCodes.Unreachable), Skipped("ssh"));
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return (Failed("tcp", clock, $"connecting to {ssh.Endpoint} timed out after {ssh.ConnectTimeout.TotalSeconds:0.#} s. Check that the host is reachable and no firewall drops port {ssh.Port}", ExitCodes.Timeout), Skipped("ssh"));
        }

        clock.Restart();
        try
        {
            string? banner = await ReadIdentificationAsync(socket, deadline.Token);
            return banner is null
                ? (tcp, Failed("ssh", clock, $"{ssh.Endpoint} does not speak SSH (it closed or sent no SSH identification line). Check --port", ExitCodes.Protocol))
                : (tcp, new DoctorStep("ssh", DoctorStatus.Ok, clock.Elapsed.TotalMilliseconds, banner) { Facts = [new("server_version", banner)] });
        }
        catch (Exception ex) when (ex is SocketException or IOException || ex is OperationCanceledException && !stop.IsCancellationRequested)
        {
            return (tcp, Failed("ssh", clock, $"{ssh.Endpoint} sent no SSH identification line within {ssh.ConnectTimeout.TotalSeconds:0.#} s. Check --port", ExitCodes.Timeout));
        }
    }

    /// <summary>RFC 4253 4.2: lines before the one starting "SSH-" may come first; at most 255 bytes each.</summary>
    private static async Task<string?> ReadIdentificationAsync(Socket socket, CancellationToken token)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        for (int total = 0; total < 8192; total++)
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, token) == 0)
            {
                return null;
            }

            if (one[0] == (byte)'\n')
            {
                string text = line.ToString().TrimEnd('\r');
                if (text.StartsWith("SSH-", StringComparison.Ordinal))
                {
                    return text;
                }

                line.Clear();
            }
            else if (line.Length < 255)
            {
                line.Append((char)one[0]);
            }
        }

        return null;
    }

    public static DoctorStep Skipped(string name, string why = "an earlier step failed") => new(name, DoctorStatus.Skipped, null, why);

    private static DoctorStep Failed(string name, Stopwatch clock, string error, int exitCode) =>
        new(name, DoctorStatus.Failed, clock.Elapsed.TotalMilliseconds, error) { Error = $"mcp-ssh: {error}", ExitCode = exitCode };
}
