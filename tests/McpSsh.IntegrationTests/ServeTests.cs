using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using McpSsh.IntegrationTests.Fixtures;
using Tool = McpSsh.Tests.Common.Tool;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace McpSsh.IntegrationTests;

/// <summary>
/// `mcp-ssh serve` end to end: the real OpenSSH sshd it launches, the key server over real HTTP on loopback,
/// our client (C# SDK behind it) and plain `ssh -T`, with the C# test server and server-everything merged behind.
/// </summary>
public sealed class ServeTests : IDisposable
{
    private readonly GatewayConfig _config = GatewayConfig.Write(("test", GatewayConfig.TestServer), ("everything", GatewayConfig.Everything));
    private readonly HttpClient _http = new();

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    private static Dictionary<string, object?> Message(string text) => new() { ["message"] = text };

    [Fact]
    public async Task KeyServer_RegisterThenConnect_ShellAndExec_AndTheHostKeyIsPinned()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server");

        foreach (string[] mode in new[] { Array.Empty<string>(), ["--remote-command", "ignored: ForceCommand runs the gateway"] })
        {
            await using ClientSession session = await McpSshRun.ConnectAsync(serve.KeyServerClientArgs(mode), null, serve.ClientEnvironment);
            Assert.Equal("Merged: test, everything", session.Client.ServerInfo!.Name);
            Assert.Equal("echo: over serve", Text(await session.Client.CallToolAsync("echo", Message("over serve"))));
            Assert.Equal("Echo: from everything", Text(await session.Client.CallToolAsync("echo_1", Message("from everything"))));
        }

        // One key registered (twice is once), the served host key pinned for [127.0.0.1]:PORT.
        string clientPub = File.ReadAllText(Path.Combine(serve.ClientHome, ".ssh", "m2m_mcp_server_ssh_client.pub")).Trim();
        Assert.Equal($"restrict {string.Join(' ', clientPub.Split(' ')[..2])}", string.Join(' ', Assert.Single(File.ReadAllLines(serve.RegisteredKeys)).Split(' ')[..3]));
        Assert.Equal($"[127.0.0.1]:{serve.Port} {string.Join(' ', serve.ServerKeyPub.Split(' ')[..2])}",
            Assert.Single(File.ReadAllLines(Path.Combine(serve.ClientHome, ".ssh", "known_hosts"))));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(serve.RegisteredKeys));
    }

    [Fact]
    public async Task PlainOpenSsh_WithARegisteredKey_GetsAnMcpSession_AnUnregisteredKeyIsRefused()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server");
        string registered = Tool.KeyGen(_config.Dir, "registered", "ed25519");
        string unregistered = Tool.KeyGen(_config.Dir, "unregistered", "ed25519");
        using (HttpResponseMessage response = await PostJsonAsync(serve, $$"""{"client_pub_key": "{{File.ReadAllText(registered + ".pub").Trim()}}"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("""{"status":"success"}""", await response.Content.ReadAsStringAsync());
        }

        string knownHosts = Path.Combine(_config.Dir, "known_hosts");
        File.WriteAllText(knownHosts, $"[127.0.0.1]:{serve.Port} {serve.ServerKeyPub}\n");

        var ssh = new ProcessStartInfo("ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-T", "-p", serve.Port.ToString(CultureInfo.InvariantCulture), "-i", registered, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
            "-o", $"UserKnownHostsFile={knownHosts}", "-o", "StrictHostKeyChecking=yes", "-F", "/dev/null", $"{Environment.UserName}@127.0.0.1" })
        {
            ssh.ArgumentList.Add(arg);
        }

        using (Process process = Process.Start(ssh)!)
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            await process.StandardInput.WriteAsync(RawMcpSsh.Initialize + "\n" + RawMcpSsh.Initialized + "\n"
                + """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"plain ssh"}}}""" + "\n");
            await process.StandardInput.FlushAsync();
            var answers = new Dictionary<int, JsonElement>();
            while (answers.Count < 2)
            {
                string line = await process.StandardOutput.ReadLineAsync().WaitAsync(McpSshRun.Timeout) ?? throw new InvalidOperationException("ssh ended: " + await stderr);
                using var document = JsonDocument.Parse(line);
                if (document.RootElement.TryGetProperty("id", out JsonElement id))
                {
                    answers[id.GetInt32()] = document.RootElement.Clone();
                }
            }

            Assert.Equal("Merged: test, everything", answers[1].GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            Assert.Equal("echo: plain ssh", answers[2].GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString());
            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(McpSshRun.Timeout);
        }

        var (exitCode, stderrText, _) = await RawMcpSsh.RunToEndAsync(serve.ClientArgs("--client-key", unregistered, "--known-hosts", knownHosts));
        Assert.Equal(6, exitCode);
        Assert.Contains("authentication failed", stderrText);
    }

    [Fact]
    public async Task Token_IsRequiredWhenSet()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, new Dictionary<string, string> { ["MCP_SSH_KEY_SERVER_TOKEN"] = "s3cret" }, "--run-key-server");
        Assert.DoesNotContain("has no token", serve.Stderr);
        Assert.DoesNotContain("s3cret", serve.Stderr);

        var (exitCode, stderr, stdout) = await RawMcpSsh.RunToEndAsync(serve.KeyServerClientArgs(), serve.ClientEnvironment);
        Assert.Equal(12, exitCode);
        Assert.Contains($"the key server at http://127.0.0.1:{serve.KeyServerPort}/register answered 401", stderr);
        Assert.Contains("--key-server-token", stderr);
        Assert.Equal("", stdout);
        Assert.False(File.Exists(serve.RegisteredKeys));

        // This key server has no TLS: the token may go over plain HTTP only when the client says so.
        var environment = new Dictionary<string, string>(serve.ClientEnvironment) { ["MCP_SSH_KEY_SERVER_TOKEN"] = "s3cret" };
        await using ClientSession session = await McpSshRun.ConnectAsync(serve.KeyServerClientArgs("--key-server-allow-http-token"), null, environment);
        Assert.Equal("echo: with token", Text(await session.Client.CallToolAsync("echo", Message("with token"))));
        Assert.Single(File.ReadAllLines(serve.RegisteredKeys));
    }

    [Fact]
    public async Task KeyServerHttp_WireCompatibleAnswers_AndEveryRefusal()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server"); // default rate: 10 a minute, as the Python server
        Assert.Contains("The key server has no token: anyone who can reach 127.0.0.1:", serve.Stderr);
        string validKey = File.ReadAllText(Tool.KeyGen(_config.Dir, "valid", "ed25519") + ".pub").Trim();
        string smallRsa = File.ReadAllText(Tool.KeyGen(_config.Dir, "small", "rsa", bits: 1024) + ".pub").Trim();

        Assert.Contains("POST /register", await _http.GetStringAsync(serve.KeyServerUrl + "/"));
        Assert.Equal("""{"status":"healthy"}""", await _http.GetStringAsync(serve.KeyServerUrl + "/health"));
        Assert.Equal($$"""{"server_pub_key":"{{serve.ServerKeyPub}}"}""", await _http.GetStringAsync(serve.KeyServerUrl + "/server_pub_key"));

        await ExpectAsync(HttpStatusCode.BadRequest, "Invalid JSON", PostJsonAsync(serve, "{not json"));
        await ExpectAsync(HttpStatusCode.BadRequest, "Missing client_pub_key", PostJsonAsync(serve, """{"key": "x"}"""));
        await ExpectAsync(HttpStatusCode.BadRequest, "Invalid public key: RSA keys must have at least 2048 bits", PostJsonAsync(serve, $$"""{"client_pub_key": "{{smallRsa}}"}"""));
        await ExpectAsync(HttpStatusCode.UnsupportedMediaType, "Content-Type must be application/json",
            _http.PostAsync(serve.KeyServerUrl + "/register", new StringContent($$"""{"client_pub_key": "{{validKey}}"}""", Encoding.UTF8, "text/plain")));
        await ExpectAsync(HttpStatusCode.RequestEntityTooLarge, "request body larger than 16384 bytes",
            PostJsonAsync(serve, $$"""{"client_pub_key": "{{validKey}}", "padding": "{{new string('x', 20_000)}}"}"""));
        Assert.False(File.Exists(serve.RegisteredKeys));

        // 8 requests so far from this address; the 9th and 10th pass, the 11th is over the limit.
        Assert.Equal(HttpStatusCode.OK, (await PostJsonAsync(serve, $$"""{"client_pub_key": "{{validKey}}"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(serve.KeyServerUrl + "/health")).StatusCode);
        await ExpectAsync(HttpStatusCode.TooManyRequests, "Rate limit exceeded. Try again later.", _http.GetAsync(serve.KeyServerUrl + "/health"));
        Assert.Single(File.ReadAllLines(serve.RegisteredKeys));
    }

    [Fact]
    public async Task HundredConcurrentRegistrations_ExactlyHundredLines()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server", "--key-server-rate", "1000");
        string[] keys = [.. Enumerable.Range(0, 100).Select(_ => RandomEd25519Line())];

        HttpResponseMessage[] responses = await Task.WhenAll(keys.Select(k => PostJsonAsync(serve, $$"""{"client_pub_key": "{{k}}"}""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        string[] lines = File.ReadAllLines(serve.RegisteredKeys);
        Assert.Equal(100, lines.Length);
        Assert.Equal(keys.Order(), lines.Select(l => string.Join(' ', l.Split(' ')[1..3])).Order());
    }

    [Fact]
    public async Task ServedKeyDifferentFromThePin_IsRefused()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server");
        string sshDir = Path.Combine(serve.ClientHome, ".ssh");
        Directory.CreateDirectory(sshDir);
        File.WriteAllText(Path.Combine(sshDir, "known_hosts"), $"[127.0.0.1]:{serve.Port} {RandomEd25519Line()}\n");

        var (exitCode, stderr, stdout) = await RawMcpSsh.RunToEndAsync(serve.KeyServerClientArgs(), serve.ClientEnvironment);

        Assert.Equal(5, exitCode);
        Assert.Contains($"HOST KEY CHANGED: the key server at http://127.0.0.1:{serve.KeyServerPort}/server_pub_key now serves ssh-ed25519 SHA256:", stderr);
        Assert.Contains($"ssh-keygen -R '[127.0.0.1]:{serve.Port}'", stderr);
        Assert.Equal("", stdout);
        Assert.False(File.Exists(serve.RegisteredKeys)); // nothing registered with a server we do not trust
    }

    [Fact]
    public async Task Sigterm_StopsSshdAndEverySession_ExitZero()
    {
        string client = Tool.KeyGen(_config.Dir, "client", "ed25519");
        ServeRun serve = await ServeRun.StartAsync(_config);
        File.WriteAllText(serve.AuthorizedClients, File.ReadAllText(client + ".pub"));
        string knownHosts = Path.Combine(_config.Dir, "known_hosts");
        File.WriteAllText(knownHosts, $"[127.0.0.1]:{serve.Port} {serve.ServerKeyPub}\n");
        await using (serve)
        {
            await using RawMcpSsh session = RawMcpSsh.Start(serve.ClientArgs("--client-key", client, "--known-hosts", knownHosts, "--no-reconnect"));
            await session.WriteLineAsync(RawMcpSsh.Initialize);
            Assert.Equal("Merged: test, everything", (await session.ReadResponseAsync()).GetProperty("result").GetProperty("serverInfo").GetProperty("name").GetString());
            Assert.NotEmpty(_config.LiveBackendPids());

            serve.Terminate();
            Assert.Equal(0, await serve.WaitForExitAsync());

            // The client (--no-reconnect) sees its connection end and says so; then nothing of this test is left.
            Assert.Equal(8, await session.WaitForExitAsync());
            Assert.Contains("connection to 127.0.0.1:", session.Stderr);
            Assert.Empty(serve.Leftovers());
        }
    }

    [Fact]
    public async Task KeyServerOverTls_ServesTheHostKey()
    {
        string cert = Path.Combine(_config.Dir, "cert.pem"), key = Path.Combine(_config.Dir, "key.pem");
        Tool.Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert);
        await using ServeRun serve = await ServeRun.StartAsync(_config, null, "--run-key-server", "--key-server-cert", cert, "--key-server-cert-key", key);

        using var expected = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(cert));
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == expected.Thumbprint };
        using var https = new HttpClient(handler);
        string served = await https.GetStringAsync($"https://127.0.0.1:{serve.KeyServerPort}/server_pub_key");
        Assert.Equal(serve.ServerKeyPub, JsonDocument.Parse(served).RootElement.GetProperty("server_pub_key").GetString());
        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetStringAsync($"http://127.0.0.1:{serve.KeyServerPort}/health")); // TLS only
    }

    [Fact]
    public async Task EncryptedServerKey_IsDecryptedForSshd_AWrongPassphraseStopsServe()
    {
        Tool.KeyGen(_config.Dir, "server_key", "ecdsa", "host secret");
        await using (ServeRun wrong = ServeRun.Launch(_config, new Dictionary<string, string> { ["MCP_SSH_PASSPHRASE"] = "nope" }))
        {
            Assert.Equal(11, await wrong.WaitForExitAsync());
            Assert.Contains("wrong passphrase for --server-key", wrong.Stderr);
        }

        string client = Tool.KeyGen(_config.Dir, "client", "ed25519");
        await using ServeRun serve = await ServeRun.StartAsync(_config, new Dictionary<string, string> { ["MCP_SSH_PASSPHRASE"] = "host secret" });
        Assert.DoesNotContain("host secret", serve.Stderr);
        File.WriteAllText(serve.AuthorizedClients, File.ReadAllText(client + ".pub"));
        string decrypted = Path.Combine(serve.StateDir, "host_key");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(decrypted));

        string knownHosts = Path.Combine(_config.Dir, "known_hosts");
        File.WriteAllText(knownHosts, $"[127.0.0.1]:{serve.Port} {serve.ServerKeyPub}\n");
        await using ClientSession session = await McpSshRun.ConnectAsync(serve.ClientArgs("--client-key", client, "--known-hosts", knownHosts));
        Assert.Equal("echo: behind an encrypted host key", Text(await session.Client.CallToolAsync("echo", Message("behind an encrypted host key"))));
    }

    [Fact]
    public async Task SshdDying_StopsServeWithItsStatus()
    {
        await using ServeRun serve = await ServeRun.StartAsync(_config);
        int sshd = int.Parse(File.ReadAllText(Path.Combine(serve.StateDir, "sshd.pid")).Trim(), CultureInfo.InvariantCulture);

        Tool.Run("kill", "-KILL", sshd.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(11, await serve.WaitForExitAsync());
        Assert.Contains($"sshd (pid {sshd}) exited with status", serve.Stderr);
    }

    [Fact]
    public async Task MissingSshd_GivesTheInstallCommand()
    {
        await using ServeRun serve = ServeRun.Launch(_config, null, "--sshd", "/nonexistent/sshd");
        Assert.Equal(11, await serve.WaitForExitAsync());
        Assert.Contains("apt-get install openssh-server", serve.Stderr);
    }

    public void Dispose()
    {
        _http.Dispose();
        _config.Dispose();
    }

    private Task<HttpResponseMessage> PostJsonAsync(ServeRun serve, string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return _http.PostAsync(serve.KeyServerUrl + "/register", content);
    }

    private static async Task ExpectAsync(HttpStatusCode status, string error, Task<HttpResponseMessage> request)
    {
        using HttpResponseMessage response = await request;
        Assert.Equal(status, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith(error, body.RootElement.GetProperty("error").GetString());
    }

    private static string RandomEd25519Line()
    {
        byte[] blob = new byte[4 + 11 + 4 + 32];
        blob[3] = 11;
        "ssh-ed25519"u8.CopyTo(blob.AsSpan(4));
        blob[4 + 11 + 3] = 32;
        Random.Shared.NextBytes(blob.AsSpan(4 + 11 + 4));
        return "ssh-ed25519 " + Convert.ToBase64String(blob);
    }
}
