using System.Net;
using System.Net.Sockets;
using McpSsh.IntegrationTests.Fixtures;

namespace McpSsh.IntegrationTests;

/// <summary>
/// The first connect retries what a busy server does to a connection before authentication (sshd's MaxStartups
/// closes it before the banner) within --connect-timeout, and still fails fast on what retrying cannot fix.
/// </summary>
public sealed class ConnectRetryTests : IAsyncLifetime
{
    private PrivateSshd? _sshd;

    private PrivateSshd Sshd => _sshd!;

    private string KnownHosts => Path.Combine(Sshd.Dir, "known_hosts");

    public async Task InitializeAsync()
    {
        // One unauthenticated connection at a time: a second is dropped by sshd before its banner.
        _sshd = await PrivateSshd.StartAsync(["ed25519"], "MaxStartups 1");
        File.WriteAllText(KnownHosts, $"{Sshd.HostName} {Sshd.HostKeyPub("ed25519")}\n");
    }

    public async Task DisposeAsync()
    {
        if (_sshd is not null)
        {
            await _sshd.DisposeAsync();
        }
    }

    [Fact]
    public async Task ConnectionDroppedBeforeTheBanner_IsRetried_AndTheClientGetsThrough()
    {
        // Occupy sshd's only pre-authentication slot with a TCP connection that never speaks.
        using var squatter = new TcpClient();
        await squatter.ConnectAsync(IPAddress.Loopback, Sshd.Port);
        var banner = new byte[4];
        await squatter.GetStream().ReadExactlyAsync(banner).AsTask().WaitAsync(McpSshRun.Timeout); // sshd took it: "SSH-"

        await using RawMcpSsh client = RawMcpSsh.Start(Sshd.ClientArgs(KnownHosts, "--log-level", "debug"));
        await Sshd.WaitForLogAsync("past MaxStartups"); // the client's first attempt was dropped
        squatter.Close();

        System.Text.Json.JsonElement answer = default;
        try
        {
            await client.WriteLineAsync(RawMcpSsh.Initialize);
            answer = await client.ReadResponseAsync();
        }
        catch (Exception ex) when (ex is IOException or Xunit.Sdk.XunitException)
        {
            await client.WaitForExitAsync();
            Assert.Fail("the client gave up at its first connect: " + client.Stderr);
        }

        Assert.True(answer.TryGetProperty("result", out _), answer.ToString());
        client.CloseStdin();
        Assert.Equal(0, await client.WaitForExitAsync());
        Assert.Contains("retrying", client.Stderr);
    }

    [Fact]
    public async Task RefusedPort_FailsAtOnce_WithoutRetrying()
    {
        List<string> args = Sshd.ClientArgs(KnownHosts, "--connect-timeout", "30");
        args[args.IndexOf("--port") + 1] = SshdFixture.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var started = System.Diagnostics.Stopwatch.StartNew();
        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(args);
        Assert.Equal(3, code);
        Assert.Contains("connection refused", stderr);
        Assert.DoesNotContain("retrying", stderr);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }
}
