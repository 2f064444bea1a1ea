using System.Diagnostics;
using System.Globalization;
using McpSsh.IntegrationTests.Fixtures;
using McpSsh.Tests.Common;

namespace McpSsh.IntegrationTests;

/// <summary>
/// `mcp-ssh --use-key-server` against hostile or plain-HTTP key servers on loopback (nothing listens on 443 here, so
/// the client falls back to http://127.0.0.1:PORT): a huge answer ends the run at once with exit 12, and the
/// token never crosses plain HTTP without --key-server-allow-http-token.
/// </summary>
public sealed class KeyServerClientCliTests : IDisposable
{
    private const string Token = "tok-3f9a1c";
    private readonly string _dir = Directory.CreateTempSubdirectory("mcp-ssh-ks-client-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Dictionary<string, string> Environment(bool withToken)
    {
        var environment = new Dictionary<string, string> { ["HOME"] = Path.Combine(_dir, "home") };
        if (withToken)
        {
            environment["MCP_SSH_KEY_SERVER_TOKEN"] = Token;
        }

        return environment;
    }

    private static List<string> Args(int keyServerPort, params string[] extra) =>
    [
        "--host", "127.0.0.1", "--port", SshdFixture.FreePort().ToString(CultureInfo.InvariantCulture), "--username", "nobody",
        "--use-key-server", "--key-server-port", keyServerPort.ToString(CultureInfo.InvariantCulture), "--no-ssh-config", .. extra,
    ];

    [Fact]
    public async Task HugeAnswer_EndsTheRunPromptly_Exit12NamingUrlAndSize()
    {
        const long huge = 64L * 1024 * 1024;
        await using var keyServer = new LoopbackHttpServer();
        keyServer.Respond = (_, stream, token) => keyServer.StreamBodyAsync(stream, huge, announceLength: false, token);

        var elapsed = Stopwatch.StartNew();
        (int code, string stderr, string stdout) = await RawMcpSsh.RunToEndAsync(Args(keyServer.Port), Environment(withToken: false));

        Assert.True(code == 12, stderr);
        Assert.Empty(stdout);
        Assert.Contains($"the key server at http://127.0.0.1:{keyServer.Port}/server_pub_key answered more than the 16384 bytes", stderr);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), $"took {elapsed.Elapsed}");
        await keyServer.ClientHungUp.Task.WaitAsync(McpSshRun.Timeout);
        Assert.True(Interlocked.Read(ref keyServer.BodyBytesWritten) < huge);
    }

    [Fact]
    public async Task TokenOverPlainHttp_IsRefusedWithoutTheFlag_AndSentOnlyToRegisterWithIt()
    {
        string hostKey = File.ReadAllText(Tool.KeyGen(_dir, "host", "ed25519") + ".pub").Trim();
        await using var keyServer = new LoopbackHttpServer();
        keyServer.Respond = (request, stream, token) => LoopbackHttpServer.WriteAsync(stream, 200,
            request.Path == "/register" ? """{"status":"success"}""" : $$"""{"server_pub_key":"{{hostKey}}"}""", token);

        (int code, string stderr, _) = await RawMcpSsh.RunToEndAsync(Args(keyServer.Port), Environment(withToken: true));

        Assert.True(code == 12, stderr);
        string line = Assert.Single(stderr.Split('\n'), l => l.StartsWith("mcp-ssh:", StringComparison.Ordinal));
        Assert.Contains("refusing to send the key-server token", line);
        Assert.Contains("--key-server-cert", line);
        Assert.Contains("--key-server-allow-http-token", line);
        Assert.Contains("falling back to plain HTTP", stderr); // the WARN
        Assert.DoesNotContain(Token, stderr);
        Assert.Equal([new("GET", "/server_pub_key", null)], keyServer.Requests.ToArray());

        // With the flag the token goes, to /register only (then the SSH port is closed: exit 3).
        (int again, string stderr2, _) = await RawMcpSsh.RunToEndAsync(Args(keyServer.Port, "--key-server-allow-http-token"), Environment(withToken: true));
        Assert.True(again == 3, stderr2);
        Assert.Equal(
            [new("GET", "/server_pub_key", null), new("GET", "/server_pub_key", null), new("POST", "/register", "Bearer " + Token)],
            keyServer.Requests.ToArray());
    }
}
