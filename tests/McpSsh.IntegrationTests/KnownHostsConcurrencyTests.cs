using System.Globalization;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>Several mcp-ssh processes adding host keys to one known_hosts at once (--accept-new) lose nothing and add nothing twice.</summary>
public sealed class KnownHostsConcurrencyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-kh-concurrent-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ConcurrentAcceptNewRuns_OnSeveralPorts_LeaveOneLinePerHost()
    {
        // One sshd on three ports: three host names ([127.0.0.1]:P) with the same key, two clients for each.
        int[] extraPorts = [SshdFixture.FreePort(), SshdFixture.FreePort()];
        await using PrivateSshd sshd = await PrivateSshd.StartAsync(["ed25519"], [.. extraPorts.Select(p => $"Port {p}")]);
        int[] ports = [sshd.Port, .. extraPorts];
        string knownHosts = Path.Combine(_dir, "known_hosts");

        var runs = new List<Task<(int ExitCode, string Stderr, string Stdout)>>();
        foreach (int port in ports.Concat(ports))
        {
            List<string> args = sshd.ClientArgs(knownHosts, "--accept-new");
            args[args.IndexOf("--port") + 1] = port.ToString(CultureInfo.InvariantCulture);
            runs.Add(RawMcpSsh.RunToEndAsync(args));
        }

        foreach ((int code, string stderr, _) in await Task.WhenAll(runs))
        {
            Assert.True(code == 0, stderr);
        }

        string key = sshd.HostKeyPub("ed25519");
        Assert.Equal(ports.Select(p => $"[127.0.0.1]:{p} {key}").Order(), File.ReadAllLines(knownHosts).Order());
    }
}
