using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;

namespace McpSsh.IntegrationTests;

/// <summary>Issue 11 defect 8: the key server's refusals are 4xx with a reason, logged with the address, never a 500.</summary>
public sealed class KeyServerHardeningTests : IDisposable
{
    private readonly GatewayConfig _config = GatewayConfig.Write(("py", PythonMcpServer.Create()));
    private readonly HttpClient _http = new();

    private Task<HttpResponseMessage> PostAsync(ServeRun serve, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return _http.PostAsync(serve.KeyServerUrl + "/register", content);
    }

    [Fact]
    public async Task InvalidUtf8_Is400_AndEveryRefusalIsLoggedWithAddressAndReason()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server", "--key-server-rate", "100");
        byte[] badUtf8 = [.. "{\"client_pub_key\": \"ssh-ed25519 "u8, 0xff, 0xfe, .. "\"}"u8];

        using HttpResponseMessage response = await PostAsync(serve, badUtf8);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using (JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
        {
            Assert.StartsWith("Invalid JSON", body.RootElement.GetProperty("error").GetString());
        }

        string smallRsa = File.ReadAllText(Tool.KeyGen(_config.Dir, "small", "rsa", bits: 1024) + ".pub").Trim();
        using HttpResponseMessage small = await PostAsync(serve, Encoding.UTF8.GetBytes($$"""{"client_pub_key": "{{smallRsa}}"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);

        Assert.True(await serve.WaitForLogAsync("Refused registration from 127.0.0.1: Invalid JSON", TimeSpan.FromSeconds(10)), serve.Stderr);
        Assert.True(await serve.WaitForLogAsync("Refused registration from 127.0.0.1: Invalid public key: RSA keys must have at least 2048 bits", TimeSpan.FromSeconds(10)), serve.Stderr);
        Assert.DoesNotContain("ERROR", serve.Stderr);
        Assert.DoesNotContain("   at ", serve.Stderr); // no stack trace
        Assert.False(File.Exists(serve.RegisteredKeys));
    }

    [Fact]
    public async Task TooManyRequests_SaysWhenToRetry()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server", "--key-server-rate", "2");
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(serve.KeyServerUrl + "/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(serve.KeyServerUrl + "/health")).StatusCode);

        using HttpResponseMessage refused = await _http.GetAsync(serve.KeyServerUrl + "/health");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        TimeSpan? retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 60);
    }

    [Fact]
    public async Task SlowBody_Is408_LoggedBelowError()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, serve.KeyServerPort);
        NetworkStream stream = tcp.GetStream();
        // Announce 1000 bytes, send 10, then nothing: Kestrel's minimum body data rate (240 B/s after 5 s) ends it.
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"client_p"));
        var reader = new StreamReader(stream, Encoding.ASCII);
        string? status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 408", status);

        Assert.True(await serve.WaitForLogAsync("Refused registration from 127.0.0.1", TimeSpan.FromSeconds(10)), serve.Stderr);
        Assert.DoesNotContain("ERROR", serve.Stderr);
        Assert.DoesNotContain("   at ", serve.Stderr);
    }

    public void Dispose()
    {
        _http.Dispose();
        _config.Dispose();
    }
}
