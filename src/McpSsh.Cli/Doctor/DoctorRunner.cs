using McpSsh.Cli.Commands;
using McpSsh.Relay;
using McpSsh.Ssh;

namespace McpSsh.Cli.Doctor;

/// <summary>
/// Runs the connection one step at a time (settings, name resolution, TCP, SSH version, key exchange, host key,
/// authentication, channel, MCP handshake, capabilities, latency); after the first failure the rest are skipped,
/// and the run's exit code is that failure's (the code the client itself would exit with).
/// </summary>
internal sealed class DoctorRunner(ClientSettings settings, DoctorStep settingsStep)
{
    public async Task<DoctorReport> RunAsync(CancellationToken stop)
    {
        SshConnectOptions ssh = settings.Ssh;
        var steps = new List<DoctorStep> { settingsStep };
        if (ssh.JumpHosts.Count > 0 || ssh.ProxyCommand is not null)
        {
            string via = ssh.JumpHosts.Count > 0 ? $"jump host {ssh.JumpHosts[0].Endpoint}" : "ProxyCommand";
            steps.Add(NetworkChecks.Skipped("resolve", $"reached through {via}"));
            steps.Add(NetworkChecks.Skipped("tcp", $"reached through {via}"));
            steps.Add(NetworkChecks.Skipped("ssh", $"reached through {via}"));
        }
        else
        {
            var network = new NetworkChecks(ssh);
            steps.Add(await network.ResolveAsync(stop));
            if (Failed(steps))
            {
                return Finish(steps, "tcp", "ssh", "host key", "authentication", "channel", "mcp", "capabilities", "latency");
            }

            (DoctorStep tcp, DoctorStep version) = await network.ConnectAsync(stop);
            steps.Add(tcp);
            steps.Add(version);
            if (Failed(steps))
            {
                return Finish(steps, "host key", "authentication", "channel", "mcp", "capabilities", "latency");
            }
        }

        var events = new CapturedEvents();
        (IReadOnlyList<DoctorStep> sshSteps, IRemoteChannel? channel) = await SshChecks.ConnectAsync(ssh, events, stop);
        int at = steps.FindIndex(s => s.Name == "ssh");
        steps[at] = SshChecks.WithAlgorithms(steps[at], events);
        steps.AddRange(sshSteps);
        if (channel is null)
        {
            return Finish(steps, "mcp", "capabilities", "latency");
        }

        try
        {
            var mcp = new McpChecks(new McpProbe(channel, ssh.ConnectTimeout));
            steps.Add(await mcp.HandshakeAsync(stop));
            if (!Failed(steps))
            {
                steps.Add(await mcp.CountsAsync(stop));
            }

            if (!Failed(steps))
            {
                steps.Add(await mcp.LatencyAsync(stop));
            }
        }
        finally
        {
            // Continuations of the channel's reads can run on SSH.NET's receive thread, and a close from that thread
            // waits for itself: close from the thread pool.
            await Task.Run(async () => await channel.DisposeAsync());
        }

        return Finish(steps, "capabilities", "latency");
    }

    private static bool Failed(List<DoctorStep> steps) => steps.Any(s => s.Status == DoctorStatus.Failed);

    /// <summary>Adds the steps not run as skipped (only those not already there) and takes the first failure's exit code.</summary>
    private DoctorReport Finish(List<DoctorStep> steps, params string[] notRun)
    {
        foreach (string name in notRun.Where(n => steps.All(s => s.Name != n)))
        {
            steps.Add(NetworkChecks.Skipped(name));
        }

        DoctorStep? failed = steps.FirstOrDefault(s => s.Status == DoctorStatus.Failed);
        return new DoctorReport($"{settings.Ssh.Username}@{settings.Ssh.Endpoint}", steps, failed?.ExitCode ?? ExitCodes.Ok);
    }
}
