using System.Net;
using System.Net.Sockets;
using McpSsh.Ssh;
using McpSsh.Ssh.KeyServer;
using McpSsh.Tests.Common;
using McpSsh.Tests.Support;
using Microsoft.Extensions.Logging;

namespace McpSsh.Tests.KeyServer;

/// <summary>The key-server client against real listeners on 127.0.0.1: TLS failures, the http fallback, the token, size caps.</summary>
public class KeyServerClientTests
{
    private const string Token = "s3cret-token";
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    /// <summary>A loopback port nobody listens on (connections are refused).</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task UntrustedTlsCertificate_IsAnErrorNamingTheUrl_AndNothingGoesToPlainHttp()
    {
        await using var tls = new LoopbackHttpServer(tls: true);
        await using var http = new LoopbackHttpServer();
        var logger = new ListLogger();
        using var client = new KeyServerClient("127.0.0.1", http.Port, Token, logger, new KeyServerClientOptions { HttpsPort = tls.Port });

        var ex = await Assert.ThrowsAsync<SshConnectException>(() => client.FetchHostKeyAsync(CancellationToken.None).WaitAsync(s_bound));

        Assert.Equal(ConnectFailure.KeyServer, ex.Failure);
        Assert.Contains($"https://127.0.0.1:{tls.Port}/server_pub_key", ex.Message);
        Assert.Contains("certificate", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(tls.Connected.Task.IsCompleted);
        Assert.Empty(http.Requests);
        Assert.False(http.Connected.Task.IsCompleted, "the client fell back to plain HTTP after a TLS failure");
    }

    [Fact]
    public async Task PlainHttpOnTheTlsPort_IsAnError_NotADowngrade()
    {
        // What a plain HTTP server does with a TLS ClientHello: answer 400 and close.
        using var notTls = new TcpListener(IPAddress.Loopback, 0);
        notTls.Start();
        int notTlsPort = ((IPEndPoint)notTls.LocalEndpoint).Port;
        Task answering = Task.Run(async () =>
        {
            using TcpClient peer = await notTls.AcceptTcpClientAsync();
            NetworkStream stream = peer.GetStream();
            _ = await stream.ReadAsync(new byte[4096]);
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        });
        await using var http = new LoopbackHttpServer();
        using var client = new KeyServerClient("127.0.0.1", http.Port, null, new ListLogger(), new KeyServerClientOptions { HttpsPort = notTlsPort });

        var ex = await Assert.ThrowsAsync<SshConnectException>(() => client.FetchHostKeyAsync(CancellationToken.None).WaitAsync(s_bound));

        Assert.Equal(ConnectFailure.KeyServer, ex.Failure);
        Assert.Contains($"https://127.0.0.1:{notTlsPort}/server_pub_key failed the TLS handshake", ex.Message);
        Assert.Empty(http.Requests);
        await answering.WaitAsync(s_bound);
    }

    [Fact]
    public async Task HttpsRefused_FallsBackToHttpWithAWarning_AndTheTokenGoesOnlyToRegister()
    {
        int closed = ClosedPort();
        await using var http = new LoopbackHttpServer();
        http.Respond = (request, stream, token) => LoopbackHttpServer.WriteAsync(stream, 200,
            request.Path == "/register" ? """{"status":"success"}""" : """{"server_pub_key":"ssh-ed25519 AAAA"}""", token);
        var logger = new ListLogger();
        using var client = new KeyServerClient("127.0.0.1", http.Port, Token, logger, new KeyServerClientOptions { HttpsPort = closed, AllowHttpToken = true });

        (string key, string url) = await client.FetchHostKeyAsync(CancellationToken.None).WaitAsync(s_bound);
        string registeredAt = await client.RegisterAsync("ssh-ed25519 AAAA me", CancellationToken.None).WaitAsync(s_bound);

        Assert.Equal("ssh-ed25519 AAAA", key);
        Assert.Equal($"http://127.0.0.1:{http.Port}/server_pub_key", url);
        Assert.Equal($"http://127.0.0.1:{http.Port}/register", registeredAt);
        Assert.Equal(
            [new("GET", "/server_pub_key", null), new("POST", "/register", "Bearer " + Token)],
            http.Requests.ToArray());
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning
            && e.Message.Contains($"https://127.0.0.1:{closed}/server_pub_key", StringComparison.Ordinal)
            && e.Message.Contains($"http://127.0.0.1:{http.Port}/server_pub_key", StringComparison.Ordinal));
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenOverPlainHttp_WithoutTheFlag_IsRefusedBeforeItIsSent()
    {
        await using var http = new LoopbackHttpServer();
        using var client = new KeyServerClient("127.0.0.1", http.Port, Token, new ListLogger(), new KeyServerClientOptions { HttpsPort = ClosedPort() });

        await client.FetchHostKeyAsync(CancellationToken.None).WaitAsync(s_bound);
        var ex = await Assert.ThrowsAsync<SshConnectException>(() => client.RegisterAsync("ssh-ed25519 AAAA me", CancellationToken.None).WaitAsync(s_bound));

        Assert.Equal(ConnectFailure.KeyServer, ex.Failure);
        Assert.Contains($"http://127.0.0.1:{http.Port}/register", ex.Message);
        Assert.Contains("--key-server-cert", ex.Message);
        Assert.Contains("--key-server-allow-http-token", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain(http.Requests, r => r.Path == "/register");
        Assert.All(http.Requests, r => Assert.Null(r.Authorization));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task HugeAnswer_IsCutAtTheCap_WithAnErrorNamingTheUrlAndTheSize(bool announceLength)
    {
        const long huge = 64L * 1024 * 1024;
        await using var http = new LoopbackHttpServer();
        http.Respond = (_, stream, token) => http.StreamBodyAsync(stream, huge, announceLength, token);
        using var client = new KeyServerClient("127.0.0.1", http.Port, null, new ListLogger(), new KeyServerClientOptions { HttpsPort = ClosedPort() });

        var ex = await Assert.ThrowsAsync<SshConnectException>(() => client.FetchHostKeyAsync(CancellationToken.None).WaitAsync(s_bound));

        Assert.Equal(ConnectFailure.KeyServer, ex.Failure);
        Assert.Contains($"http://127.0.0.1:{http.Port}/server_pub_key", ex.Message);
        Assert.Contains($"16384 bytes", ex.Message);
        if (announceLength)
        {
            Assert.Contains($"{huge} bytes", ex.Message);
        }

        // The client stopped reading long before the end: the server saw it hang up.
        await http.ClientHungUp.Task.WaitAsync(s_bound);
        Assert.True(Interlocked.Read(ref http.BodyBytesWritten) < huge, $"the server wrote all {huge} bytes");
    }
}
